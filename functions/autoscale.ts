// Stream consumer for readings (the collector's samples, pushes through POST /metrics): sizes the
// service on each with target scaling; an action becomes a decision that scale executes.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import type { StreamImage } from '../lib/store/stream-image';
import { autoscaleDeps } from '../lib/wiring/decisions';
import { parseWith, sampleSchema, scalingReadingSchema, type ScalingReading } from '../src/model';
import { autoscaleOnReading } from '../src/use-cases/autoscale';

const SAMPLE_PERIOD_MS = 60_000;

export const handler = streamHandler(async (image) => {
  if (image.eventName !== 'INSERT') return;
  const reading = readingFrom(image);
  if (!reading) return;
  const c = config();
  const outcome = await autoscaleOnReading(autoscaleDeps(c), reading, c.decisionSwitches);
  logger.info('target scaling', { serviceId: reading.serviceId, at: reading.at, ...outcome });
});

/** A sample covers the minute starting at its `at`; its reading is measured at the minute's end. */
function readingFrom(image: StreamImage): ScalingReading | null {
  const where = `${image.kind} in stream record ${image.eventId}`;
  if (image.kind === 'reading') return parseWith(scalingReadingSchema, image.newImage, where);
  if (image.kind !== 'sample') return null;
  const sample = parseWith(sampleSchema, image.newImage, where);
  return {
    serviceId: sample.serviceId,
    at: new Date(Date.parse(sample.at) + SAMPLE_PERIOD_MS).toISOString(),
    source: 'sample',
    cpu: sample.metrics.cpu ?? null,
    memory: sample.metrics.memory ?? null,
    requests: sample.metrics.requests ?? null,
    tasks: sample.ecs?.runningCount ?? null,
  };
}
