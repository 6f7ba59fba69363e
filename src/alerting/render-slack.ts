// The Slack message (incoming webhook, Block Kit): header, what happened, fields, context (SPEC N3).
import { blockKitLimits } from './block-kit';
import type { Notification } from './notification';
import { severityEmoji, timeOfDay, titleLine, truncate } from './text';

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackPayload {
  /** Shown in notifications and by clients that cannot draw blocks. */
  text: string;
  blocks: SlackBlock[];
}

// Slack mrkdwn treats these three as control characters.
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function field(label: string, value: string): SlackText {
  const text = `*${label}*\n${escape(value)}`;
  return { type: 'mrkdwn', text: truncate(text, blockKitLimits.fieldText) };
}

export function renderSlack(n: Notification): SlackPayload {
  const title = titleLine(n);
  const emoji = severityEmoji[n.kind === 'resolved' ? 'resolved' : n.severity];
  const metricLines = n.metrics.map(
    (m) => `• *${escape(m.metric)}* (${m.severity}): ${escape(m.explanation)}`,
  );
  if (n.otherMetrics > 0) metricLines.push(`• and ${n.otherMetrics} more`);
  const happened = [`*${escape(n.headline)}*`, ...metricLines].join('\n');
  const fields = [
    field('Service', n.serviceId),
    field('Severity', n.severity),
    field(
      'What vigia did',
      n.actions.length > 0 ? n.actions.join('\n') : 'nothing automatic (yet)',
    ),
    field(
      'Did it work',
      n.outcomes.length > 0
        ? n.outcomes.join('\n')
        : n.actions.length > 0
          ? 'not known yet'
          : 'n/a',
    ),
  ];
  if (n.openedAt !== null) fields.push(field('Opened', timeOfDay(n.openedAt)));
  if (n.resolvedAt !== null) fields.push(field('Resolved', timeOfDay(n.resolvedAt)));
  if (n.acknowledgedBy !== null) fields.push(field('Acknowledged by', n.acknowledgedBy));
  const context: SlackText[] = [];
  if (n.statusUrl !== null) context.push({ type: 'mrkdwn', text: `<${n.statusUrl}|Status page>` });
  context.push({
    type: 'mrkdwn',
    text: truncate(`${n.kind} · ${n.incidentId ?? n.id} · ${timeOfDay(n.at)}`, 300),
  });
  return {
    text: truncate(title, 300),
    blocks: [
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: truncate(`${emoji} ${title}`, blockKitLimits.headerText),
          emoji: true,
        },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(happened, blockKitLimits.sectionText) },
      },
      { type: 'section', fields: fields.slice(0, blockKitLimits.sectionFields) },
      { type: 'context', elements: context },
    ],
  };
}
