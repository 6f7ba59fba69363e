// The ECS client, behind its circuit breaker.
import { ECSClient } from '@aws-sdk/client-ecs';
import { guardClient } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint } from './client-options';

export const ecsClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  guardClient(new ECSClient(clientOptions(c)), 'ecs'),
);
