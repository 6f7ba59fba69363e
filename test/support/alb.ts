// An ALB with a target group and a listener on the emulator, and an ECS service registered behind it,
// as a typical web service runs. moto's default VPC provides the subnets (read with EC2's query API:
// the tests have no EC2 client).
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { localClientConfig } from '../../scripts/lib/local-stack';

async function defaultSubnets(endpoint: string): Promise<{ vpcId: string; subnets: string[] }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the credential scope's service name.
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: 'Action=DescribeSubnets&Version=2016-11-15',
  });
  const xml = await res.text();
  const subnets = [...xml.matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].map((m) => m[1]!);
  const vpcId = /<vpcId>([^<]+)<\/vpcId>/.exec(xml)?.[1];
  if (!vpcId || subnets.length < 2) throw new Error(`no default subnets in the emulator: ${xml}`);
  return { vpcId, subnets: subnets.slice(0, 2) };
}

/** An ECS service `name` in `cluster` behind a new ALB; returns the ARNs and CloudWatch dimensions. */
export async function serviceBehindAlb(endpoint: string, cluster: string, name: string) {
  const elb = new ElasticLoadBalancingV2Client(localClientConfig(endpoint));
  const ecs = new ECSClient(localClientConfig(endpoint));
  const { vpcId, subnets } = await defaultSubnets(endpoint);
  const lb = await elb.send(
    new CreateLoadBalancerCommand({ Name: `${name}-alb`, Subnets: subnets, Type: 'application' }),
  );
  const lbArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  const tg = await elb.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: vpcId,
      TargetType: 'ip',
    }),
  );
  const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
    }),
  );
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `${name}-task`,
      containerDefinitions: [
        { name, image: `public.ecr.aws/demo/${name}:1`, memory: 512, cpu: 256 },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: name,
      taskDefinition: td.taskDefinition!.taskDefinitionArn,
      desiredCount: 2,
      loadBalancers: [{ targetGroupArn: tgArn, containerName: name, containerPort: 8080 }],
    }),
  );
  // moto reports a new service's tasks as 0 running until its count is updated: start them.
  await ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 2 }));
  return {
    lbArn,
    tgArn,
    dimensions: [
      { Name: 'LoadBalancer', Value: lbArn.slice(lbArn.indexOf(':loadbalancer/') + 14) },
      { Name: 'TargetGroup', Value: tgArn.slice(tgArn.lastIndexOf(':') + 1) },
    ],
  };
}
