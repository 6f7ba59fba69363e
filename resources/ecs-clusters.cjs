// The ECS service ARNs vigia's roles may act on: every cluster of config/services.json, plus the
// clusters of services registered at runtime, named by the deploy parameter `extraClusters` (a,b).
// CloudFormation cannot loop over a JSON file, so this builds the list for `${file(...)}`.
'use strict';

// An ECS cluster name: anything else in an ARN would widen it (a `*`) or break it.
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function declaredClusters() {
  const { services = [] } = require('../config/services.json');
  return services.map((s) => s && s.ecs && s.ecs.cluster).filter(Boolean);
}

function clusterNames(extra) {
  const named = String(extra ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const all = [...new Set([...declaredClusters(), ...named])];
  const bad = all.filter((c) => !CLUSTER_NAME.test(c));
  if (bad.length > 0) throw new Error(`not an ECS cluster name: ${bad.join(', ')}`);
  if (all.length === 0) throw new Error('no ECS cluster: declare a service or pass extraClusters');
  return all;
}

function serviceArns(clusters) {
  return clusters.map((c) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${c}/*`,
  }));
}

module.exports = async ({ resolveVariable }) => {
  const extra = await resolveVariable("param:extraClusters, ''");
  return { serviceArns: serviceArns(clusterNames(extra)) };
};
module.exports.clusterNames = clusterNames;
