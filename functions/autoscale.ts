// Stream consumer for readings (the collector's samples, pushes through POST /metrics): sizes the
// service on each with target scaling; an action becomes a decision that scale executes. A sample
// with no value target scaling reads (CPU, memory, requests, queue) is ignored before any lookup:
// it cannot change a size.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import type { StreamImage } from '../lib/store/stream-image';
import { autoscaleDeps } from '../lib/wiring/decisions';
import { parseWith, sampleSchema, scalingReadingSchema, type ScalingReading } from '../src/model';
import { autoscaleOnReading, readingOfSample } from '../src/use-cases/autoscale';

export const handler = streamHandler(async (image) => {
  if (image.eventName !== 'INSERT') return;
  const reading = readingFrom(image);
  if (!reading || !canSize(reading)) return;
  const c = config();
  const outcome = await autoscaleOnReading(autoscaleDeps(c), reading, c.decisionSwitches);
  logger.info('target scaling', { serviceId: reading.serviceId, at: reading.at, ...outcome });
});

function readingFrom(image: StreamImage): ScalingReading | null {
  const where = `${image.kind} in stream record ${image.eventId}`;
  if (image.kind === 'reading') return parseWith(scalingReadingSchema, image.newImage, where);
  if (image.kind !== 'sample') return null;
  return readingOfSample(parseWith(sampleSchema, image.newImage, where));
}

/** Whether a reading carries anything target scaling sizes on (a pushed reading always counts). */
export function canSize(reading: ScalingReading): boolean {
  if (reading.source !== 'sample') return true;
  return [
    reading.cpu,
    reading.memory,
    reading.requests,
    reading.queue_backlog,
    reading.queue_arrivals,
  ].some((v) => v !== null && v !== undefined);
}
