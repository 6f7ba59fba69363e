// Runs the real serverless offline against a fresh local stack on free ports.
import { startOffline, type Offline } from '../../scripts/lib/offline';
import { freePort } from './free-port';
import { freshLocalStack } from './local-aws';

export async function startOfflineStack(env: Record<string, string> = {}) {
  const stack = await freshLocalStack();
  const offline: Offline = await startOffline({
    endpoint: stack.endpoint,
    topicArn: stack.topicArn,
    failureQueueUrl: stack.failureQueueUrl,
    httpPort: await freePort(),
    lambdaPort: await freePort(),
    // Every test request comes from 127.0.0.1: one IP's public-route limit would throttle the suite.
    env: { VIGIA_PUBLIC_RATE_LIMIT: '100000', ...env },
  });
  return { stack, offline };
}
