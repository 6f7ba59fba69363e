// The generic webhook's URL, like Slack's, comes from an SSM SecureString parameter on AWS rather than
// a plaintext environment variable: the slack function's own adapters read it from the emulator.
import http from 'node:http';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotification } from '../../lib/slack/deliver';
import { deliveryTargets } from '../../lib/wiring/slack';
import { aNotification } from '../support/builders';
import { freePort } from '../support/free-port';
import { freshLocalStack, localConfig } from '../support/local-aws';
import { localCredentials } from '../../scripts/lib/local-stack';

const notification = aNotification();

let server: http.Server;
let url: string;
const received: string[] = [];

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = localCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = localCredentials.secretAccessKey;
  const port = await freePort();
  server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the generic webhook URL', () => {
  it('is read from its SSM SecureString parameter and receives the alert', async () => {
    // The production targets claim each delivery in the table (delivered once per receiver).
    const { endpoint, tableName } = await freshLocalStack();
    const name = `/vigia/test-${process.pid}/webhook-url`;
    const ssm = new SSMClient({ endpoint, region: 'us-east-1' });
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: `${url}/generic-from-ssm`,
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const config = localConfig(endpoint, tableName, { VIGIA_WEBHOOK_SSM_PARAMETER: name });

    const result = await deliverNotification(deliveryTargets(config), notification, new Date());

    expect(result.webhook).toBe('sent');
    expect(received).toEqual(['/generic-from-ssm']);
  });
});
