// What the probe function runs on: node's fetch, SSM for header values, the pushed-metric store
// the collector reads, and the service registry.
import type { ProbeDeps } from '../../src/use-cases/probe-dependencies';
import { ssmClient } from '../aws/ssm-client';
import { systemClock } from '../clock';
import { HttpProber } from '../probes/http-prober';
import { SsmSecrets } from '../aws/ssm-secrets';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { perConfig } from './per-config';
import { serviceRegistry, table } from './table';

export const probeDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      prober: new HttpProber(),
      secrets: new SsmSecrets(ssmClient(c), c.endpoint),
      metrics: new PushedMetricStore(table(c)),
    }) satisfies ProbeDeps,
);
