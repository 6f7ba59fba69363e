// Escalation state per incident: the pages sent so far, one item written with a version condition
// so two alert-timers runs never page the same level twice.
//
// pk          sk                          kind
// SVC#<id>    ESCALATION#<incident id>    escalation   (TTL: 30 days)
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationState } from '../../src/alerting';
import type { EscalationStore } from '../../src/use-cases/escalate-incidents';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, servicePk } from '../store/keys';
import type { Table } from '../store/table';

const sk = (incidentId: string) => `ESCALATION#${incidentId}`;

export class DynamoEscalationStore implements EscalationStore {
  constructor(private readonly table: Table) {}

  async load(serviceId: string, incidentId: string): Promise<EscalationState | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: sk(incidentId) },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return null;
    const { incidentId: id, serviceId: service, pages, version } = out.Item;
    return { incidentId: id, serviceId: service, pages, version } as EscalationState;
  }

  /**
   * False when another timer recorded this version first. The item carries this call's own token:
   * one that holds it was written by this call's first attempt, whose answer was lost before the
   * SDK sent it again (the page is this timer's to send; it was never sent under faults).
   */
  async record(next: EscalationState, now: Date): Promise<boolean> {
    const writeId = randomUUID();
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            pk: servicePk(next.serviceId),
            sk: sk(next.incidentId),
            kind: 'escalation',
            ...next,
            writeId,
            expiresAt: expiresAt(now, 30),
          },
          ConditionExpression:
            next.version === 1 ? 'attribute_not_exists(pk)' : 'version = :previous',
          ...(next.version === 1
            ? {}
            : { ExpressionAttributeValues: { ':previous': next.version - 1 } }),
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(next.serviceId), sk: sk(next.incidentId) },
        ConsistentRead: true,
      }),
    );
    return out.Item?.writeId === writeId;
  }
}
