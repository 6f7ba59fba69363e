// The soak's verdict, read from moto directly (not through the faulting proxy) and from what the
// proxy counted: the table's decisions and anomalies, ECS's final desired counts, the UpdateService
// calls and SNS messages that took effect. Definitions: BENCHMARKS.md, "Soak".
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { decisionIdFor, finalDecisionStatuses, type Anomaly, type Decision } from '../../src/model';
import { STALE_CLAIM_MS, SUPERSEDED } from '../../src/use-cases/execute-decision';
import { localClientConfig } from '../../scripts/lib/local-stack';
import type { PublishCall, UpdateServiceCall } from './fault-proxy';
import { notificationIdOfPublish } from './receivers';

export interface Figures {
  decisions: number;
  terminal: number;
  stuck: number;
  lost: number;
  duplicateEcsCalls: number;
  outOfOrder: number;
  duplicateMessages: number;
  unhandledErrors: number;
}

export interface CheckInput {
  decisions: Decision[];
  anomalies: Anomaly[];
  /** ECS service name → desired count at the end. */
  finalDesired: Map<string, number>;
  updateServiceCalls: UpdateServiceCall[];
  publishes: PublishCall[];
  /** Copies each receiver (Slack, webhook, email) got beyond the first: what people notice. */
  receiverDuplicates: { total: number; byReceiver: Record<string, number> };
  /** Records the failure queue still held after the operator's replay. */
  undeliverable: number;
  /** The notification log's alert entries at the end (`alertLogEntries`). */
  alertLog: AlertLogEntry[];
  unhandledErrors: number;
  end: Date;
}

export interface Verdict {
  figures: Figures;
  details: Record<string, unknown[]>;
}

/** One alert in the notification log: its key (`alert~<notification id>`) and state. */
export interface AlertLogEntry {
  key: string;
  state: string;
  attempts?: number;
  /** When its last claim was taken and its last Publish attempted: to trace one left behind. */
  claimedAt?: string;
  attemptedAt?: string;
}

/**
 * The notification log's alert entries at the end (a scan: the benchmark's table is small). Every
 * alert ends `sent` (SNS answered, or the topic's echo came); one still 'unconfirmed' (its Publish
 * unanswered, no echo, not yet republished by alert-timers), 'abandoned' (given up after its last
 * attempt) or 'sending' (a claim whose run neither marked it sent nor released it) is an alert
 * nobody is known to have got: `judge` counts it lost.
 */
export async function alertLogEntries(
  motoEndpoint: string,
  tableName: string,
): Promise<AlertLogEntry[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(motoEndpoint)));
  const entries: AlertLogEntry[] = [];
  const pages = paginateScan(
    { client: db },
    {
      TableName: tableName,
      FilterExpression: 'kind = :k AND begins_with(pk, :alert)',
      ExpressionAttributeValues: { ':k': 'notification', ':alert': 'NOTIFY#alert~' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      entries.push({
        key: String(item.pk).slice('NOTIFY#'.length),
        state: String(item.state),
        ...(typeof item.attempts === 'number' ? { attempts: item.attempts } : {}),
        ...(typeof item.claimedAt === 'string' ? { claimedAt: item.claimedAt } : {}),
        ...(typeof item.attemptedAt === 'string' ? { attemptedAt: item.attemptedAt } : {}),
      });
    }
  }
  return entries;
}

/** The summary's `notificationLog`: alert entries by state. */
export function countByState(entries: readonly AlertLogEntry[]): Record<string, number> {
  const states: Record<string, number> = {};
  for (const e of entries) states[e.state] = (states[e.state] ?? 0) + 1;
  return states;
}

export async function readKind<T>(
  motoEndpoint: string,
  tableName: string,
  kind: 'DECISION' | 'ANOMALY',
): Promise<T[]> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(motoEndpoint)));
  const items: T[] = [];
  const pages = paginateQuery(
    { client: db },
    {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :k',
      ExpressionAttributeValues: { ':k': kind },
    },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as T[]));
  return items;
}

const ECS_ACTIONS = new Set(['scale-out', 'scale-in', 'restart', 'rollback']);

export function judge(input: CheckInput): Verdict {
  const details: Record<string, unknown[]> = {
    stuck: [],
    lost: [],
    duplicateEcsCalls: [],
    outOfOrder: [],
    duplicateMessages: [],
    duplicatePublishes: [],
    supersededLanded: [],
  };
  const { decisions, end } = input;
  const terminal = decisions.filter((d) => finalDecisionStatuses.has(d.status));
  const staleBefore = end.getTime() - STALE_CLAIM_MS;
  for (const d of decisions) {
    if (finalDecisionStatuses.has(d.status)) continue;
    if (Date.parse(d.claimedAt ?? d.at) < staleBefore) {
      details.stuck!.push({ id: d.id, status: d.status, at: d.at, claimedAt: d.claimedAt });
    }
  }
  const decisionIds = new Set(decisions.map((d) => d.id));
  for (const a of input.anomalies) {
    if (!decisionIds.has(decisionIdFor(a.id)))
      details.lost!.push({ anomaly: a.id, why: 'no decision' });
  }
  // An alert not `sent` at the end: with how many of its Publishes SNS took (0: nobody got it; more:
  // it went out, and neither SNS's answer nor the topic's echo reached the log).
  const publishedOf = new Map<string, number>();
  for (const p of input.publishes) {
    const id = notificationIdOfPublish(p);
    publishedOf.set(id, (publishedOf.get(id) ?? 0) + 1);
  }
  for (const e of input.alertLog) {
    if (e.state === 'sent') continue;
    details.lost!.push({
      alert: e.key,
      state: e.state,
      attempts: e.attempts,
      claimedAt: e.claimedAt,
      attemptedAt: e.attemptedAt,
      publishedToSns: publishedOf.get(e.key.slice('alert~'.length)) ?? 0,
      why: 'alert not sent',
    });
  }
  if (input.undeliverable > 0) {
    details.lost!.push({ records: input.undeliverable, why: 'still failing after the replay' });
  }
  // One UpdateService per ECS decision that reached ECS, per ECS service: the executed ones, and
  // those a takeover skipped as superseded after their one attempt got no answer (it may have
  // landed; resending it would have undone the later decision).
  const byService = new Map<string, Decision[]>();
  const reachedEcs = new Map<string, number>();
  const supersededOf = new Map<string, Decision[]>();
  for (const d of terminal) {
    if (!ECS_ACTIONS.has(d.action)) continue;
    const target = d.target?.service ?? d.serviceId;
    const superseded = d.status === 'skipped' && (d.result ?? '').startsWith(SUPERSEDED);
    if (d.status !== 'executed' && !superseded) continue;
    reachedEcs.set(target, (reachedEcs.get(target) ?? 0) + 1);
    if (d.status === 'executed') byService.set(target, [...(byService.get(target) ?? []), d]);
    else supersededOf.set(target, [...(supersededOf.get(target) ?? []), d]);
  }
  const calls = new Map<string, UpdateServiceCall[]>();
  for (const c of input.updateServiceCalls)
    calls.set(c.service, [...(calls.get(c.service) ?? []), c]);
  for (const [service, cs] of calls) {
    const executed = reachedEcs.get(service) ?? 0;
    if (cs.length > executed) {
      details.duplicateEcsCalls!.push({
        service,
        calls: cs.length,
        executedDecisions: executed,
        // What was sent and what the table says, to tell a product defect from a miscount.
        sent: cs.map((c) => ({
          desiredCount: c.desiredCount,
          force: c.forceNewDeployment,
          taskDefinition: c.taskDefinition,
          answered: c.answered,
          by: c.by,
          wallMs: c.wallMs,
        })),
        decisionsOfService: decisions
          .filter((d) => (d.target?.service ?? d.serviceId) === service && d.action !== 'notify')
          .map((d) => ({
            id: d.id,
            action: d.action,
            status: d.status,
            fromCount: d.fromCount,
            toCount: d.toCount,
            requestedBy: d.requestedBy,
            result: d.result,
            before: d.before?.desiredCount,
            after: d.after?.desiredCount,
            claimedAt: d.claimedAt,
            finishedAt: d.finishedAt,
          })),
      });
    }
  }
  // The last applied count is what ECS runs; each execution starts where the previous one ended.
  for (const [service, ds] of byService) {
    const ordered = [...ds].sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
    const lastScale = ordered
      .filter((d) => d.toCount !== null && d.action.startsWith('scale'))
      .pop();
    const final = input.finalDesired.get(service);
    if (lastScale && final !== undefined && lastScale.toCount !== final) {
      details.outOfOrder!.push({
        service,
        final,
        lastDecision: lastScale.id,
        toCount: lastScale.toCount,
      });
    }
    for (let i = 1; i < ordered.length; i++) {
      const before = ordered[i]!.before?.desiredCount;
      const after = ordered[i - 1]!.after?.desiredCount;
      if (before == null || after == null || before === after) continue;
      const landed = landedBetween(
        supersededOf.get(service) ?? [],
        ordered[i - 1]!,
        ordered[i]!,
        before,
      );
      const pair = { service, previous: ordered[i - 1]!.id, after, next: ordered[i]!.id, before };
      if (landed) {
        // Shown, not counted: the change is in the audit, as an attempt that may have applied.
        details.supersededLanded!.push({ ...pair, superseded: landed.id });
      } else {
        const from = ordered[i - 1]!.finishedAt ?? '';
        const to = ordered[i]!.finishedAt ?? '';
        details.outOfOrder!.push({
          ...pair,
          // What else of the service was decided or attempted in between, whatever its status.
          between: decisions
            .filter(
              (d) =>
                (d.target?.service ?? d.serviceId) === service &&
                ECS_ACTIONS.has(d.action) &&
                d.status !== 'executed' &&
                (d.claimedAt ?? d.finishedAt ?? d.at) < to &&
                (d.finishedAt ?? d.claimedAt ?? d.at) > from,
            )
            .map((d) => ({
              id: d.id,
              action: d.action,
              status: d.status,
              toCount: d.toCount,
              result: d.result,
              claimedAt: d.claimedAt,
              finishedAt: d.finishedAt,
              before: d.before?.desiredCount,
            })),
        });
      }
    }
  }
  // At SNS: a notification published more than once. `answered` says, Publish by Publish, whether
  // its answer reached notify: a repeat after an answered Publish is avoidable (notify knew it was
  // out); after an unanswered one it is the lost answer with no echo in time.
  const seen = new Map<string, boolean[]>();
  for (const p of input.publishes) {
    const id = notificationIdOfPublish(p);
    seen.set(id, [...(seen.get(id) ?? []), p.answered]);
  }
  for (const [id, answered] of seen) {
    if (answered.length > 1) {
      details.duplicatePublishes!.push({ id, published: answered.length, answered });
    }
  }
  for (const [receiver, n] of Object.entries(input.receiverDuplicates.byReceiver)) {
    if (n > 0) details.duplicateMessages!.push({ receiver, copies: n });
  }
  return {
    figures: {
      decisions: decisions.length,
      terminal: terminal.length,
      stuck: details.stuck!.length,
      lost: details.lost!.length,
      duplicateEcsCalls: details.duplicateEcsCalls!.reduce<number>(
        (n, x) =>
          n +
          ((x as { calls: number }).calls - (x as { executedDecisions: number }).executedDecisions),
        0,
      ),
      outOfOrder: details.outOfOrder!.length,
      duplicateMessages: input.receiverDuplicates.total,
      unhandledErrors: input.unhandledErrors,
    },
    details,
  };
}

/**
 * A decision skipped as superseded sent its change once and got no answer (SUPERSEDED): it may have
 * landed, and the audit says so. It explains a count that appears between two executed decisions
 * when it asked for exactly the count the next one found, and its attempt (between its decision and
 * the takeover that skipped it) can lie between the two.
 */
function landedBetween(
  superseded: readonly Decision[],
  previous: Decision,
  next: Decision,
  found: number,
): Decision | undefined {
  const from = previous.finishedAt ?? previous.at;
  const to = next.claimedAt ?? next.finishedAt ?? next.at;
  return superseded.find(
    (s) =>
      s.action.startsWith('scale') &&
      s.toCount === found &&
      s.at < to &&
      (s.finishedAt ?? s.claimedAt ?? s.at) > from,
  );
}
