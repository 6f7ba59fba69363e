// The RunbookRunner port (src/ports.ts) over AWS and HTTPS: each runbook kind to its adapter.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Runbook, RunbookContext } from '../../src/model';
import type { RunbookRunner } from '../../src/ports';
import type { SsmSecrets } from '../aws/ssm-secrets';
import { postHttpsRunbook } from './https-runbook';
import { invokeLambdaRunbook } from './lambda-runbook';
import { startAutomation } from './ssm-automation';

export interface RunbookClients {
  ssm: Pick<SSMClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  secrets: Pick<SsmSecrets, 'value'>;
  now: () => Date;
  fetch?: typeof fetch;
}

export class AwsRunbookRunner implements RunbookRunner {
  constructor(private readonly clients: RunbookClients) {}

  run(name: string, runbook: Runbook, context: RunbookContext): Promise<string> {
    switch (runbook.kind) {
      case 'ssm-automation':
        return startAutomation(this.clients.ssm, name, runbook, context);
      case 'lambda':
        return invokeLambdaRunbook(this.clients.lambda, name, runbook, context);
      case 'https':
        return postHttpsRunbook(this.clients, name, runbook, context);
    }
  }
}
