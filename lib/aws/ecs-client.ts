// The ECS client, behind its circuit breaker.
import { ECSClient } from '@aws-sdk/client-ecs';
import { guardClient } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const ecsClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new ECSClient(clientOptions(c)), 'ecs'),
);

/**
 * For UpdateService alone: one attempt. The SDK retries a timed-out or cut call, and a change ECS
 * applied whose answer was lost would be sent twice (a restart would start a second deployment).
 * The scaler retries throttling itself (refused, so never applied) and reports any other failure
 * without an answer as an unknown outcome.
 */
export const ecsActionClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new ECSClient({ ...clientOptions(c), maxAttempts: 1 }), 'ecs'),
);
