// Small text helpers shared by the renderers: limits, ASCII for SNS subjects, labels.
import type { Severity } from '../model/common';
import type { Notification } from './notification';

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 3)).trimEnd()}...`;
}

/** SNS subjects must be printable ASCII without line breaks, at most 100 characters. */
export function snsSafe(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\u2192]/g, '->')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function severityLabel(n: Pick<Notification, 'kind' | 'severity'>): string {
  return n.kind === 'resolved' ? 'RESOLVED' : n.severity.toUpperCase();
}

/** The one line that says it all: also the email subject and the Slack header. */
export function titleLine(n: Notification): string {
  const label = severityLabel(n);
  switch (n.phase) {
    case 'opened':
      return `[${label}] ${n.serviceId}: ${n.headline}`;
    case 'updated':
      // An update's headline is its news: the escalation, or the action or verdict it is for.
      return `[${label}] ${n.serviceId} update: ${n.headline}`;
    case 'repeated':
      return `[${label}] ${n.serviceId} ${n.headline}`;
    case 'resolved':
      return `[${label}] ${n.serviceId}: ${n.headline}`;
    case 'note':
      return `[${label}] ${n.serviceId}: ${n.headline}`;
  }
}

export const severityEmoji: Record<Severity | 'resolved', string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
  resolved: ':white_check_mark:',
};

export function timeOfDay(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
