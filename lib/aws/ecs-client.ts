// The ECS client.
import { ECSClient } from '@aws-sdk/client-ecs';
import { clientOptions, oncePerEndpoint } from './client-options';

export const ecsClient = /* @__PURE__ */ oncePerEndpoint((c) => new ECSClient(clientOptions(c)));
