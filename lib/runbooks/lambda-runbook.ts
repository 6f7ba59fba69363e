// Lambda runbooks: a synchronous Invoke with the decision's payload; the function's own error
// (FunctionError) fails the decision with its message.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { runbookPayload, type Runbook, type RunbookContext } from '../../src/model';
import { runbookCallError } from './runbook-errors';

type LambdaRunbook = Extract<Runbook, { kind: 'lambda' }>;

const MAX_RESULT_CHARS = 300;

export async function invokeLambdaRunbook(
  lambda: Pick<LambdaClient, 'send'>,
  name: string,
  runbook: LambdaRunbook,
  context: RunbookContext,
): Promise<string> {
  const what = `runbook '${name}' (Lambda ${runbook.functionName})`;
  const payload = runbookPayload(name, runbook.payload, context);
  let out;
  try {
    out = await lambda.send(
      new InvokeCommand({
        FunctionName: runbook.functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
      { abortSignal: AbortSignal.timeout(runbook.timeoutMs) },
    );
  } catch (err) {
    throw runbookCallError(err, what, runbook.timeoutMs);
  }
  const answer = out.Payload ? new TextDecoder().decode(out.Payload).trim() : '';
  if (out.FunctionError) {
    throw new Error(`${out.FunctionError} error: ${errorMessageOf(answer)}`);
  }
  return `Lambda ${runbook.functionName} answered${answer ? `: ${clip(answer)}` : ' (no payload)'}`;
}

/** Lambda's error payload is {"errorMessage": …, "errorType": …}; anything else is shown as sent. */
function errorMessageOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { errorMessage?: unknown; errorType?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      return typeof parsed.errorType === 'string'
        ? `${parsed.errorType}: ${clip(parsed.errorMessage)}`
        : clip(parsed.errorMessage);
    }
  } catch {
    // not JSON: shown as it came
  }
  return clip(answer) || 'no detail';
}

function clip(text: string): string {
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text;
}
