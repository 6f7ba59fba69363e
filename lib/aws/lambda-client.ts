// The Lambda client, for runbooks (SPEC X7). One attempt: a runbook whose answer was lost may have
// run, and the SDK's retry would run it a second time; the caller decides (held, then the sweep).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientOptions, oncePerEndpoint } from './client-options';

/** Longest a runbook may take (its own timeoutMs cuts it earlier): within scale's 30 s. */
export const RUNBOOK_REQUEST_TIMEOUT_MS = 25_000;

export const lambdaRunbookClient = /* @__PURE__ */ oncePerEndpoint(
  (c) =>
    new LambdaClient({
      ...clientOptions({ ...c, requestTimeoutMs: RUNBOOK_REQUEST_TIMEOUT_MS }),
      maxAttempts: 1,
    }),
);
