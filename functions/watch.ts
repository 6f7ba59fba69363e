// Stream consumer for new samples: judges the service's threshold policies (with their `for`
// windows) on each, and writes what holds as an anomaly that decide and notify take as they take
// the detector's.
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { streamHandler } from '../lib/middleware/stream';
import { watchDeps } from '../lib/wiring/watch';
import { parseWith, sampleSchema } from '../src/model';
import { watchSample } from '../src/use-cases/watch-sample';

export const handler = streamHandler(async (image) => {
  if (image.kind !== 'sample' || image.eventName !== 'INSERT') return;
  const sample = parseWith(
    sampleSchema,
    image.newImage,
    `sample in stream record ${image.eventId}`,
  );
  const result = await watchSample(watchDeps(config()), sample);
  if (result.raised.length > 0) logger.info('watch raised anomalies', { ...result });
});
