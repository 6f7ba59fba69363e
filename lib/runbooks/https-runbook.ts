// HTTPS runbooks: one signed JSON POST. `X-Vigia-Signature: sha256=<hex HMAC-SHA256 of the raw
// body>` with the key from an SSM SecureString; the body carries `sentAt` (also sent as
// `X-Vigia-Timestamp`, Unix seconds) under the signature, so a receiver rejects a replayed request
// by its age, and `idempotencyKey` (also the `Idempotency-Key` header) = the decision id, so a
// redelivery acts once. One attempt: a retry could run the runbook twice.
import { createHmac } from 'node:crypto';
import { runbookPayload, type Runbook, type RunbookContext } from '../../src/model';
import type { SsmSecrets } from '../aws/ssm-secrets';
import { runbookCallError } from './runbook-errors';

type HttpsRunbook = Extract<Runbook, { kind: 'https' }>;

const MAX_DETAIL_CHARS = 200;

export function runbookSignature(key: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

export interface HttpsRunbookDeps {
  secrets: Pick<SsmSecrets, 'value'>;
  now: () => Date;
  fetch?: typeof fetch;
}

export async function postHttpsRunbook(
  deps: HttpsRunbookDeps,
  name: string,
  runbook: HttpsRunbook,
  context: RunbookContext,
): Promise<string> {
  // The URL may carry a token: errors name the runbook and host, never the whole URL.
  const host = new URL(runbook.url).host;
  const what = `runbook '${name}' (POST to ${host})`;
  const key = await deps.secrets.value(runbook.secretParameter);
  if (!key) throw new Error(`SSM parameter '${runbook.secretParameter}' holds no HMAC key`);
  const sentAt = deps.now();
  const body = JSON.stringify({
    ...runbookPayload(name, runbook.payload, context),
    sentAt: sentAt.toISOString(),
  });
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(runbook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-vigia-signature': runbookSignature(key, body),
        'x-vigia-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'idempotency-key': context.decisionId,
      },
      body,
      signal: AbortSignal.timeout(runbook.timeoutMs),
    });
  } catch (err) {
    throw runbookCallError(err, what, runbook.timeoutMs);
  }
  const text = await response.text().catch(() => '');
  const detail = text.trim().slice(0, MAX_DETAIL_CHARS);
  if (!response.ok) {
    throw new Error(`${host} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
  }
  return `POST to ${host}: HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
}
