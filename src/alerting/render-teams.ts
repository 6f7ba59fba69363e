// Microsoft Teams: an Adaptive Card in a message, the format Teams Workflows' "post to a channel
// when a webhook request is received" accepts (learn.microsoft.com, "Create and send messages").
import { z } from 'zod';
import type { Notification } from './notification';
import { severityLabel, titleLine, truncate } from './text';

const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string().min(1),
  wrap: z.boolean().optional(),
  weight: z.enum(['Default', 'Lighter', 'Bolder']).optional(),
  size: z.enum(['Default', 'Small', 'Medium', 'Large', 'ExtraLarge']).optional(),
  color: z.enum(['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']).optional(),
});
const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z.array(z.strictObject({ title: z.string(), value: z.string() })).min(1),
});

/** The published message + Adaptive Card (schema 1.4) shape, as zod. */
export const teamsMessageSchema = z.strictObject({
  type: z.literal('message'),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null().optional(),
        content: z.strictObject({
          $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
          type: z.literal('AdaptiveCard'),
          version: z.enum(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']),
          body: z.array(z.union([textBlock, factSet])).min(1),
          actions: z
            .array(
              z.strictObject({
                type: z.literal('Action.OpenUrl'),
                title: z.string(),
                url: z.url(),
              }),
            )
            .optional(),
        }),
      }),
    )
    .length(1),
});
export type TeamsMessage = z.infer<typeof teamsMessageSchema>;

const colour = {
  CRITICAL: 'Attention',
  WARNING: 'Warning',
  INFO: 'Accent',
  RESOLVED: 'Good',
} as const;

export function renderTeams(n: Notification): TeamsMessage {
  const label = severityLabel(n) as keyof typeof colour;
  const facts = n.metrics.map((m) => ({ title: m.metric, value: truncate(m.explanation, 300) }));
  const body: TeamsMessage['attachments'][number]['content']['body'] = [
    {
      type: 'TextBlock',
      text: truncate(titleLine(n), 300),
      weight: 'Bolder',
      size: 'Medium',
      color: colour[label],
      wrap: true,
    },
  ];
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  for (const line of [...n.actions, ...n.outcomes]) {
    body.push({ type: 'TextBlock', text: truncate(line, 1000), wrap: true });
  }
  if (n.acknowledgedBy) {
    body.push({ type: 'TextBlock', text: `Acknowledged by ${n.acknowledgedBy}`, wrap: true });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(n.statusUrl
            ? {
                actions: [
                  { type: 'Action.OpenUrl' as const, title: 'Status page', url: n.statusUrl },
                ],
              }
            : {}),
        },
      },
    ],
  };
}
