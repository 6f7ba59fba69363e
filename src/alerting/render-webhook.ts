// The generic JSON webhook body, and the SNS publish shape every channel is fed from (SPEC N1, N3).
import { z } from 'zod';
import {
  notificationSchema,
  snsMessageAttributes,
  type MessageLabels,
  type Notification,
} from './notification';
import { renderEmail } from './render-email';
import { titleLine } from './text';

export const webhookPayloadVersion = 'vigia.notification/v1';

export interface WebhookPayload {
  version: typeof webhookPayloadVersion;
  title: string;
  notification: Notification;
}

export function renderWebhook(n: Notification): WebhookPayload {
  return { version: webhookPayloadVersion, title: titleLine(n), notification: n };
}

/**
 * One SNS publish with MessageStructure "json": email subscribers get the plain text, every other
 * protocol (SQS, Lambda: the slack and webhook functions) gets the webhook JSON to render itself.
 */
export interface SnsPublish {
  subject: string;
  message: string;
  messageStructure: 'json';
  attributes: MessageLabels;
}

export function snsPublish(n: Notification): SnsPublish {
  const email = renderEmail(n);
  return {
    subject: email.subject,
    message: JSON.stringify({ default: JSON.stringify(renderWebhook(n)), email: email.body }),
    messageStructure: 'json',
    attributes: snsMessageAttributes(n),
  };
}

const webhookPayloadSchema = z.object({
  version: z.literal(webhookPayloadVersion),
  title: z.string(),
  notification: notificationSchema,
});

/** The slack function's way back from an SNS record's Message to a Notification; throws if foreign. */
export function parseNotificationMessage(message: string): Notification {
  return webhookPayloadSchema.parse(JSON.parse(message)).notification;
}
