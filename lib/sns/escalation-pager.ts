// Pages an escalation level: SMS straight to the number through SNS, every other receiver through
// its HTTP API (lib/sns/route-delivery.ts). Every receiver is tried before a failure is reported.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isSnsNative, snsSafe, titleLine, type Notification } from '../../src/alerting';
import type { Receiver } from '../../src/model';
import type { Pager } from '../../src/use-cases/escalate-incidents';
import { deliverTo, type RoutedDeliveryDeps } from './route-delivery';

export class EscalationPager implements Pager {
  constructor(
    private readonly sns: SNSClient,
    private readonly http: Omit<RoutedDeliveryDeps, 'services'>,
  ) {}

  async page(receivers: readonly Receiver[], n: Notification): Promise<void> {
    const failed: string[] = [];
    for (const r of receivers) {
      if (r.type === 'sms') {
        await this.sns
          .send(new PublishCommand({ PhoneNumber: r.phoneNumber, Message: snsSafe(titleLine(n)) }))
          .catch(() => failed.push('sms'));
      }
    }
    const http = receivers.filter((r) => !isSnsNative(r)) as Parameters<typeof deliverTo>[1];
    for (const result of await deliverTo(this.http, http, n)) {
      if (result.status !== 'sent') failed.push(result.receiver);
    }
    if (failed.length > 0) throw new Error(`escalation page failed for: ${failed.join(', ')}`);
  }
}
