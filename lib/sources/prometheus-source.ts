// Prometheus as a metric source (SPEC C6): each service's PromQL queries, one per metric, read with
// /api/v1/query_range at one point a minute. A query's answer at evaluation time e covers the minute
// before it (a rate over [1m] looks back), so it is stamped e - 60 s, the minute CloudWatch would
// stamp the same data with. Credentials come from SSM (bearer token or basic password), cached a few
// minutes. A bad answer fails that service's metric alone, reported to the tick with what went wrong.
import type { SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import type { PrometheusSourceConfig, Service } from '../../src/model';
import type { MetricBatch, MetricPoint, MetricSource, SourceFailure } from '../../src/ports';
import { SsmSecrets } from '../aws/ssm-secrets';
import { mapBounded } from '../../src/bounded-map';

const MINUTE = 60_000;
/** Queries in flight at once across the fleet, so a large fleet does not flood one server. */
const MAX_CONCURRENT_QUERIES = 8;

const sampleValueSchema = z.tuple([z.number(), z.string()]);
const responseSchema = z.union([
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.string(),
      result: z.array(
        z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValueSchema) }),
      ),
    }),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string().optional(),
    error: z.string().optional(),
  }),
]);

/** The minute-start stamps whose whole minute lies in [from, to), as evaluation times (ms). */
export function evaluationRange(from: Date, to: Date): { start: number; end: number } | null {
  const firstMinute = Math.ceil(from.getTime() / MINUTE) * MINUTE;
  const end = Math.floor(to.getTime() / MINUTE) * MINUTE;
  const start = firstMinute + MINUTE;
  return start <= end ? { start, end } : null;
}

/**
 * One query_range answer as points, or an error saying what was wrong with it. No series is no
 * data (nothing to collect yet); several series are refused: a metric is one series.
 */
export function parseRangeResponse(
  httpStatus: number,
  body: string,
): { points: MetricPoint[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: `HTTP ${httpStatus}, not a Prometheus API answer: ${snippet(body)}` };
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    return { error: `HTTP ${httpStatus}, not a Prometheus API answer: ${snippet(body)}` };
  }
  const answer = parsed.data;
  if (answer.status === 'error') {
    return { error: `${answer.errorType ?? `HTTP ${httpStatus}`}: ${answer.error ?? 'no detail'}` };
  }
  if (answer.data.resultType !== 'matrix') {
    return { error: `expected a range vector (matrix), got ${answer.data.resultType}` };
  }
  const series = answer.data.result;
  if (series.length > 1) {
    return {
      error: `the query returned ${series.length} series, one expected: aggregate it, e.g. sum(...)`,
    };
  }
  const points: MetricPoint[] = [];
  for (const [seconds, text] of series[0]?.values ?? []) {
    const value = Number(text);
    // NaN and ±Inf (a rate over nothing, a division by zero) are gaps, not values.
    if (Number.isFinite(value)) points.push({ timestamp: seconds * 1000 - MINUTE, value });
  }
  return { points };
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || '(empty body)';
}

export interface PrometheusSourceOptions {
  ssm: SSMClient;
  /** The AWS endpoint (local emulator), for error messages. */
  endpoint?: string | undefined;
  now?: () => number;
}

export class PrometheusSource implements MetricSource {
  private readonly secrets: SsmSecrets;

  constructor(private readonly options: PrometheusSourceOptions) {
    this.secrets = new SsmSecrets(options.ssm, options.endpoint, options.now);
  }

  async fetch(
    services: readonly Service[],
    from: Date,
    to: Date,
    report?: (failure: SourceFailure) => void,
    history = false,
  ): Promise<MetricBatch> {
    const batch: MetricBatch = new Map();
    // Instant queries read the present: a warm-up window of history gets nothing from them.
    if (history) return batch;
    const range = evaluationRange(from, to);
    if (!range) return batch;
    const jobs: (() => Promise<void>)[] = [];
    for (const service of services) {
      const config = service.sources?.prometheus;
      if (!config) continue;
      const metrics = new Map<string, MetricPoint[]>();
      batch.set(service.id, metrics);
      for (const [metric, query] of Object.entries(config.queries)) {
        jobs.push(async () => {
          try {
            metrics.set(metric, await this.queryRange(config, query, range));
          } catch (err) {
            report?.({
              serviceId: service.id,
              source: 'prometheus',
              error: `${metric} from ${config.url}: ${(err as Error).message}`,
            });
          }
        });
      }
    }
    await mapBounded(jobs, MAX_CONCURRENT_QUERIES, (job) => job());
    return batch;
  }

  private async queryRange(
    config: PrometheusSourceConfig,
    query: string,
    range: { start: number; end: number },
  ): Promise<MetricPoint[]> {
    const url = new URL(
      'api/v1/query_range',
      config.url.endsWith('/') ? config.url : `${config.url}/`,
    );
    const form = new URLSearchParams({
      query,
      start: String(range.start / 1000),
      end: String(range.end / 1000),
      step: '60',
      timeout: `${config.timeoutSeconds}s`,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const authorization = await this.authorization(config.auth);
    if (authorization) headers.authorization = authorization;
    let res: Response;
    try {
      // POST keeps long PromQL out of the URL (and out of access logs).
      res = await fetch(url, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError') throw new Error(`no answer within ${config.timeoutSeconds} s`);
      const cause = (e.cause as Error | undefined)?.message;
      throw new Error(`unreachable: ${cause ?? e.message}`);
    }
    const parsed = parseRangeResponse(res.status, await res.text());
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed.points;
  }

  private async authorization(auth: PrometheusSourceConfig['auth']): Promise<string | null> {
    if (!auth) return null;
    if ('bearerSsmParameter' in auth) {
      return `Bearer ${await this.secret(auth.bearerSsmParameter)}`;
    }
    const password = await this.secret(auth.basic.passwordSsmParameter);
    return `Basic ${Buffer.from(`${auth.basic.username}:${password}`).toString('base64')}`;
  }

  private async secret(name: string): Promise<string> {
    const value = await this.secrets.value(name);
    if (!value) throw new Error(`SSM parameter '${name}' is missing or empty`);
    return value;
  }
}
