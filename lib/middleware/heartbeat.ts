// Every function's heartbeat, left by its middy stack (stream consumers, schedules, the Slack
// subscriber): one conditional UpdateItem per invocation with its success or its failure, which
// /health reads. A stream batch that reports failed records counts as a failure although the
// invocation itself returned: that is how a throwing consumer looks from outside. The container's
// circuit breakers ride along in the same write. It runs after the handler, outside middy's own
// timeout, so it gets the invocation's deadline: a write that is slow (throttled, retried, a
// connection that never answers) is cut before Lambda's timeout, logged, and never fails the
// invocation — else a batch that ended with a second left is carried past the timeout and retried
// whole, as an invocation error.
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { FunctionHeartbeatStore } from '../../src/ports';
import { breakerSnapshots } from '../breaker/breakers';
import { config } from '../config';
import { DeadlineError, withDeadline } from '../aws/deadline';
import { logger } from '../logger';
import { heartbeatStore } from '../wiring/table';

export interface HeartbeatOptions<R> {
  /** Why a returned response is a failure (a batch with failed records), or null. */
  failureOf?: (response: R, context: Context) => string | null;
  /** What a thrown error says in the heartbeat (its message by default). */
  describeError?: (error: Error, context: Context) => string;
  /** Tests inject their own; functions use the table's. */
  store?: () => FunctionHeartbeatStore;
  name?: (context: Context) => string;
  now?: () => Date;
}

/** vigia-dev-decide → decide: the name in serverless.yml, the same on every stage. */
export function functionNameOf(lambdaName: string, stage: string): string {
  const prefix = `vigia-${stage}-`;
  return lambdaName.startsWith(prefix) ? lambdaName.slice(prefix.length) : lambdaName;
}

/** The heartbeat's write ends this long before the invocation's timeout: time to return. */
export const HEARTBEAT_MARGIN_MS = 250;

/** Runs the write with the invocation's time left, less the margin (lib/aws/deadline.ts). */
async function withinInvocation(context: Context, write: () => Promise<void>): Promise<void> {
  const left = context.getRemainingTimeInMillis?.();
  if (left === undefined || !Number.isFinite(left)) return write();
  const ms = left - HEARTBEAT_MARGIN_MS;
  if (ms <= 0) throw new DeadlineError(0);
  await withDeadline(ms, write);
}

export function heartbeat<E, R>(
  options: HeartbeatOptions<R> = {},
): middy.MiddlewareObj<E, R, Error, Context> {
  const store = options.store ?? (() => heartbeatStore(config()));
  const now = options.now ?? (() => new Date());
  const nameOf =
    options.name ?? ((c: Context) => functionNameOf(c.functionName ?? 'unknown', config().stage));
  const record = async (context: Context, error?: string) => {
    try {
      const run = { name: nameOf(context), at: now(), breakers: breakerSnapshots() };
      await withinInvocation(context, () =>
        store().recordRun(error === undefined ? run : { ...run, error }),
      );
    } catch (err) {
      // A heartbeat that cannot be written must not fail the work it reports on: its age shows.
      logger.warn('heartbeat not recorded', { error: err as Error });
    }
  };
  return {
    after: async (request) => {
      const failure = options.failureOf?.(request.response as R, request.context) ?? null;
      await record(request.context, failure ?? undefined);
    },
    onError: async (request) => {
      const error = request.error;
      const describe = options.describeError ?? ((e: Error) => e?.message || String(e));
      await record(request.context, describe(error as Error, request.context));
    },
  };
}
