// EventBridge "CloudWatch Alarm State Change" of a sentinel alarm (vigia-<stage>-sentinel-<id>, the
// rule's pattern in serverless.yml): mark the service hot and read it now (sentinel-wake.ts).
import { z } from 'zod';
import { config } from '../lib/config';
import { logger } from '../lib/logger';
import { scheduledHandler } from '../lib/middleware/scheduled';
import { wakeDeps, wakeSettings } from '../lib/wiring/wake';
import { parseWith } from '../src/model';
import { wakeOnSentinel } from '../src/use-cases/sentinel-wake';

/** CloudWatch writes its own format, e.g. 2026-12-02T10:41:00.123+0000 (no colon in the offset). */
const timestamp = z
  .string()
  .refine((v) => Number.isFinite(Date.parse(v)), { message: 'must be a timestamp' });

const alarmStateChangeSchema = z.looseObject({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  time: timestamp,
  detail: z.looseObject({
    alarmName: z.string().min(1),
    state: z.looseObject({
      value: z.string().min(1),
      /** When the state changed; absent, the event's own time. */
      timestamp: timestamp.optional(),
    }),
  }),
});

export const handler = scheduledHandler(async (event: unknown) => {
  const e = parseWith(alarmStateChangeSchema, event, 'alarm state change event');
  const c = config();
  const outcome = await wakeOnSentinel(
    wakeDeps(c),
    {
      alarmName: e.detail.alarmName,
      state: e.detail.state.value,
      changedAt: Date.parse(e.detail.state.timestamp ?? e.time),
    },
    wakeSettings(c),
  );
  logger.info('sentinel wake', { alarmName: e.detail.alarmName, ...outcome });
  return outcome;
});
