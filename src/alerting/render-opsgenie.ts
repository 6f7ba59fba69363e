// Opsgenie Alert API (docs.opsgenie.com, "Alert API"): create with the incident id as alias, so
// repeats update one alert and the resolved message closes it.
import { z } from 'zod';
import type { Notification } from './notification';
import { titleLine, truncate } from './text';

export const opsgenieCreateSchema = z.strictObject({
  message: z.string().min(1).max(130),
  alias: z.string().min(1).max(512),
  description: z.string().max(15_000).optional(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']).optional(),
  source: z.string().max(100).optional(),
  entity: z.string().max(512).optional(),
  tags: z.array(z.string()).max(20).optional(),
  details: z.record(z.string(), z.string()).optional(),
});
export const opsgenieCloseSchema = z.strictObject({
  source: z.string().max(100).optional(),
  note: z.string().max(25_000).optional(),
});

export type OpsgenieRequest =
  | { path: string; body: z.infer<typeof opsgenieCreateSchema> }
  | { path: string; body: z.infer<typeof opsgenieCloseSchema> };

const priority = { critical: 'P1', warning: 'P3', info: 'P5' } as const;

/** The path under the API URL and the body: create (or update by alias), or close by alias. */
export function renderOpsgenie(n: Notification): OpsgenieRequest {
  const alias = n.incidentId ?? n.id;
  if (n.kind === 'resolved') {
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
      body: { source: 'vigia', note: truncate(titleLine(n), 1000) },
    };
  }
  return {
    path: '/v2/alerts',
    body: {
      message: truncate(titleLine(n), 130),
      alias,
      description: truncate(
        [
          ...n.metrics.map((m) => `${m.metric}: ${m.explanation}`),
          ...n.actions,
          ...n.outcomes,
        ].join('\n'),
        15_000,
      ),
      priority: priority[n.severity],
      source: 'vigia',
      entity: n.serviceId,
      tags: ['vigia', n.serviceId, n.severity],
    },
  };
}
