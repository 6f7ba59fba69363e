// The ELBv2 client (a target group's load balancer, for the ALB metrics' dimensions).
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientOptions, oncePerEndpoint } from './client-options';

export const elbv2Client = /* @__PURE__ */ oncePerEndpoint(
  (c) => new ElasticLoadBalancingV2Client(clientOptions(c)),
);
