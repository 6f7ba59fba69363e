// Who hears about a service's incidents (issue 17, routing): per severity, a list of receivers.
// Secrets (webhook URLs, routing keys, API keys) are never in the service configuration, which the
// API returns: a receiver names the SSM SecureString parameter that holds it.
import { z } from 'zod';
import { severitySchema } from './common';

/** The slack function may read only /vigia/<stage>/notify/… (resources/iam.yml). */
const parameter = z
  .string()
  .regex(
    /^\/vigia\/[A-Za-z0-9_.-]{1,40}\/notify\/[A-Za-z0-9_./-]{1,200}$/,
    'must be an SSM parameter name under /vigia/<stage>/notify/',
  );

export const receiverSchema = z.discriminatedUnion('type', [
  /** SNS email subscription on the alerts topic, filtered to this service and these severities. */
  z.strictObject({ type: z.literal('email'), address: z.email() }),
  /** SNS SMS subscription (E.164 number), filtered like email. */
  z.strictObject({
    type: z.literal('sms'),
    phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +34600111222'),
  }),
  z.strictObject({ type: z.literal('slack'), urlParameter: parameter }),
  /** A Microsoft Teams incoming webhook (or a Workflows webhook accepting message cards). */
  z.strictObject({ type: z.literal('teams'), urlParameter: parameter }),
  /** PagerDuty Events API v2: one PagerDuty incident per vigia incident (dedup_key). */
  z.strictObject({
    type: z.literal('pagerduty'),
    routingKeyParameter: parameter,
    /** The EU service region uses https://events.eu.pagerduty.com. */
    apiUrl: z.url().default('https://events.pagerduty.com'),
  }),
  z.strictObject({
    type: z.literal('opsgenie'),
    apiKeyParameter: parameter,
    /** The EU instance uses https://api.eu.opsgenie.com. */
    apiUrl: z.url().default('https://api.opsgenie.com'),
  }),
  /** Any endpoint taking vigia's webhook JSON (docs/alerts.md). */
  z.strictObject({ type: z.literal('webhook'), urlParameter: parameter }),
]);
export type Receiver = z.infer<typeof receiverSchema>;

export const notificationRouteSchema = z.strictObject({
  severities: z.array(severitySchema).min(1),
  receivers: z.array(receiverSchema).min(1).max(10),
});

/** Receivers an escalation pages directly: everything but email (an SNS subscription, not a call). */
export const escalationReceiverSchema = receiverSchema.refine((r) => r.type !== 'email', {
  message: 'email cannot be paged directly: route it instead',
});

export const escalationSchema = z.strictObject({
  /** A critical incident unacknowledged this long pages the next level, and so on. */
  afterMinutes: z.number().int().min(1).max(1440),
  /** Receiver lists in order; the last one is paged again every afterMinutes until ack or resolve. */
  levels: z.array(z.array(escalationReceiverSchema).min(1).max(10)).min(1).max(5),
});
export type Escalation = z.infer<typeof escalationSchema>;

export const notificationRoutingSchema = z.strictObject({
  /** Every route whose severities include the alert's gets it; a receiver listed twice hears once. */
  routes: z.array(notificationRouteSchema).min(1).max(10),
  escalation: escalationSchema.optional(),
});
export type NotificationRouting = z.infer<typeof notificationRoutingSchema>;
