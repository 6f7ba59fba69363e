// Scheduled every minute: one collector tick over every watched service.
import { z } from 'zod';
import { appConfig, ecsStateSource, metricSource, registry, store } from '../lib/adapters';
import { systemClock } from '../lib/clock';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { seriesDetector } from '../src/detection';
import { parseWith } from '../src/model';
import { collectTick, defaultCollectOptions } from '../src/use-cases/collect-tick';

const scheduledEventSchema = z.looseObject({
  /** EventBridge's scheduled time; the demo and replays pass their own. */
  time: z.iso.datetime({ offset: true }).optional(),
});

export const handler = scheduledHandler(async (event: unknown) => {
  const { time } = parseWith(scheduledEventSchema, event ?? {}, 'scheduled event');
  const tickAt = time ? new Date(time) : systemClock.now();
  const result = await collectTick(
    {
      clock: systemClock,
      registry: registry(),
      metrics: metricSource(),
      ecs: ecsStateSource(),
      models: store(),
      observations: store(),
      heartbeat: store(),
      detector: seriesDetector,
    },
    tickAt,
    { ...defaultCollectOptions, detectionEnabled: appConfig().switches.anomalyDetection },
  );
  for (const failure of result.failures) logger.error('service not collected', failure);
  if (result.services > 0 && result.failures.length >= result.services) {
    throw new Error(
      `collect failed for every service: ${result.failures.map((f) => f.error).join('; ')}`,
    );
  }
  logger.info('tick', { ...result, anomalies: result.anomalies.map((x) => x.id) });
  return { ...result, anomalies: result.anomalies.map((x) => x.id) };
});
