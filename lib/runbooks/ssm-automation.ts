// SSM Automation runbooks: StartAutomationExecution with the filled parameters. The decision id,
// made into the UUID SSM's ClientToken requires, makes a second start of the same decision return
// the first execution instead of starting another.
import { createHash } from 'node:crypto';
import { StartAutomationExecutionCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { automationParameters, type Runbook, type RunbookContext } from '../../src/model';
import { runbookCallError } from './runbook-errors';

type SsmRunbook = Extract<Runbook, { kind: 'ssm-automation' }>;

/** A stable UUID (version-4 layout) from the decision id: SSM takes only UUIDs as ClientToken. */
export function clientTokenFor(decisionId: string): string {
  const h = createHash('sha256').update(decisionId).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function startAutomation(
  ssm: Pick<SSMClient, 'send'>,
  name: string,
  runbook: SsmRunbook,
  context: RunbookContext,
): Promise<string> {
  const what = `runbook '${name}' (SSM Automation ${runbook.document})`;
  try {
    const out = await ssm.send(
      new StartAutomationExecutionCommand({
        DocumentName: runbook.document,
        ...(runbook.documentVersion ? { DocumentVersion: runbook.documentVersion } : {}),
        Parameters: automationParameters(runbook.parameters, context),
        ClientToken: clientTokenFor(context.decisionId),
      }),
    );
    return `SSM Automation ${runbook.document} started: execution ${out.AutomationExecutionId ?? '?'}`;
  } catch (err) {
    throw runbookCallError(err, what, 0);
  }
}
