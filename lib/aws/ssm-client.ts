// The SSM client.
import { SSMClient } from '@aws-sdk/client-ssm';
import { clientOptions, oncePerEndpoint } from './client-options';

export const ssmClient = /* @__PURE__ */ oncePerEndpoint((c) => new SSMClient(clientOptions(c)));
