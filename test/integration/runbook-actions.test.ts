// Runbook actions (SPEC X7) with the scale function's own adapters: an HTTPS endpoint started here
// verifies the HMAC signature and records what it got; Lambda runs on the emulator (moto's
// docker-free Lambda); SSM Automation is answered by a stub on the SDK client, because moto has no
// StartAutomationExecution. Under the same claim, modes, cap, audit and learning as ECS actions.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  PutParameterCommand,
  SSMClient,
  StartAutomationExecutionCommand,
  type StartAutomationExecutionCommandInput,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientOptions } from '../../lib/aws/client-options';
import { lambdaRunbookClient } from '../../lib/aws/lambda-client';
import { ssmClient } from '../../lib/aws/ssm-client';
import { SsmSecrets } from '../../lib/aws/ssm-secrets';
import { AwsRunbookRunner } from '../../lib/runbooks/runbook-runner';
import { executeDeps } from '../../lib/wiring/decisions';
import type { RunbookInput, ServiceInput } from '../../src/model';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { verifyActions } from '../../src/use-cases/verify-actions';
import { T0, decisionStack, ruleSwitches, webService } from './decision-fixtures';

const KEY_PARAMETER = '/vigia/runbooks/purge-cache';
const HMAC_KEY = 'runbook-key-0123456789';

let env: Awaited<ReturnType<typeof decisionStack>>;
let endpoint: RunbookEndpoint;

beforeEach(async () => {
  env = await decisionStack();
  endpoint = await startRunbookEndpoint(HMAC_KEY);
  await putSecret(KEY_PARAMETER, HMAC_KEY);
});

afterEach(async () => {
  await endpoint.close();
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  verified: boolean;
}

interface RunbookEndpoint {
  url: string;
  received: Received[];
  /** Answers this long after a request (a runbook still working past vigia's timeout). */
  delayMs: number;
  close(): Promise<void>;
}

/** What a team's runbook receiver does: check the signature over the raw body and its age. */
async function startRunbookEndpoint(key: string): Promise<RunbookEndpoint> {
  const state = { received: [] as Received[], delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-vigia-signature'] ?? ''));
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      const age = Date.now() / 1000 - Number(req.headers['x-vigia-timestamp']);
      const signed =
        given.length === expected.length &&
        timingSafeEqual(given, expected) &&
        Math.abs(age) < 300 &&
        Math.floor(Date.parse(String(body.sentAt)) / 1000) ===
          Number(req.headers['x-vigia-timestamp']);
      state.received.push({ headers: req.headers, body, verified: signed });
      setTimeout(() => {
        if (!signed) {
          res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"purged":12}');
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/runbooks/purge`,
    get received() {
      return state.received;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get delayMs() {
      return state.delayMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function putSecret(name: string, value: string) {
  await ssmClient(env.a.config).send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }),
  );
}

/** The web service with one runbook, allowed by the only policy on a CPU rise. */
function withRunbook(runbook: RunbookInput, overrides: Partial<ServiceInput> = {}) {
  env.setService(
    webService({
      runbooks: { 'purge-cache': runbook },
      policies: [{ name: 'purge-on-cpu', when: 'cpu > 80%', actions: ['runbook:purge-cache'] }],
      ...overrides,
    }),
  );
}

const httpsRunbook = (extra: { timeoutMs?: number } = {}): RunbookInput => ({
  kind: 'https',
  url: endpoint.url,
  secretParameter: KEY_PARAMETER,
  payload: { note: '{{diagnosis}} on {{metric}}', value: '{{value}}', incident: '{{incidentId}}' },
  ...extra,
});

/** The scale function's adapters (lib/wiring), runbooks included, with the tests' registry. */
function scaleDeps() {
  return { ...executeDeps(env.a.config), ...env.deps };
}

async function decideOnCpu(minute = 0) {
  const anomaly = await env.anomaly(minute, 'cpu', { cpu: 93, memory: 50 });
  return (await decideOnAnomaly(env.deps, anomaly, ruleSwitches)).decision;
}

describe('an HTTPS runbook', () => {
  it('runs once with a signed payload from the decision, and the audit trail records it', async () => {
    withRunbook(httpsRunbook());
    const decision = await decideOnCpu();

    const first = await executeDecision(scaleDeps(), decision, ruleSwitches);
    // Redeliveries of the same approved decision find it claimed.
    const again = await Promise.all(
      [1, 2].map(() => executeDecision(scaleDeps(), decision, ruleSwitches)),
    );

    expect(decision).toMatchObject({
      action: 'runbook:purge-cache',
      status: 'approved',
      allowedActions: ['runbook:purge-cache'],
    });
    expect(first).toBe('executed');
    expect(again).toEqual(['already-handled', 'already-handled']);
    expect(endpoint.received).toHaveLength(1);
    const [got] = endpoint.received;
    expect(got!.verified).toBe(true);
    expect(got!.headers['idempotency-key']).toBe(decision.id);
    expect(got!.body).toMatchObject({
      runbook: 'purge-cache',
      idempotencyKey: decision.id,
      decisionId: decision.id,
      serviceId: 'web',
      metric: 'cpu',
      value: 93,
      diagnosis: 'overload',
      parameters: {
        note: 'overload on cpu',
        value: 93,
        incident: `inc~web~${decision.at}`,
      },
    });
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: expect.stringMatching(/^POST to 127\.0\.0\.1:\d+: HTTP 200: \{"purged":12\}$/),
    });
    const trail = await env.auditTrail();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      type: 'runbook:purge-cache',
      status: 'executed',
      decisionId: decision.id,
    });
  });

  it('fails the decision, naming the refusal, when the endpoint rejects the signature', async () => {
    await putSecret(KEY_PARAMETER, 'a-key-the-endpoint-does-not-know');
    withRunbook(httpsRunbook());
    const decision = await decideOnCpu();

    const outcome = await executeDecision(scaleDeps(), decision, ruleSwitches);

    expect(outcome).toBe('failed');
    expect(endpoint.received.map((r) => r.verified)).toEqual([false]);
    const stored = await env.a.store.getDecision('web', decision.id);
    expect(stored).toMatchObject({ status: 'failed' });
    expect(stored!.result).toMatch(
      /^runbook 'purge-cache' failed: 127\.0\.0\.1:\d+ answered HTTP 401: bad signature$/,
    );
    expect(await env.auditTrail()).toEqual([
      expect.objectContaining({ type: 'runbook:purge-cache', status: 'failed' }),
    ]);
  });

  it('holds the decision when no answer comes in time: it may have run', async () => {
    withRunbook(httpsRunbook({ timeoutMs: 300 }));
    endpoint.delayMs = 2_000;
    const decision = await decideOnCpu();

    const outcome = await executeDecision(scaleDeps(), decision, ruleSwitches);

    expect(outcome).toBe('held');
    expect(endpoint.received).toHaveLength(1);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executing',
    });
    expect(await env.auditTrail()).toEqual([]);

    // Once the claim is stale, a takeover (the sweep's, or a redelivery's) runs it again with the
    // same idempotency key, for the receiver to recognise. (The sweep itself looks back a day from
    // now; this decision's data time is months old.)
    endpoint.delayMs = 0;
    const later = new Date(Date.now() + 3 * 60_000);
    const takeover = await executeDecision(
      { ...scaleDeps(), clock: { now: () => later } },
      decision,
      ruleSwitches,
    );
    expect(takeover).toBe('executed');
    expect(endpoint.received.map((r) => r.headers['idempotency-key'])).toEqual([
      decision.id,
      decision.id,
    ]);
    expect(await env.auditTrail()).toHaveLength(1);
  });

  it('in approve mode waits for an operator, then runs once', async () => {
    withRunbook(httpsRunbook(), { mode: 'approve' });
    const decision = await decideOnCpu();

    const beforeApproval = await executeDecision(scaleDeps(), decision, ruleSwitches);
    await env.approve(decision.id);
    const approved = (await env.a.store.getDecision('web', decision.id))!;
    const outcome = await executeDecision(scaleDeps(), approved, ruleSwitches);

    expect(decision).toMatchObject({ status: 'proposed', result: 'waiting for an operator' });
    expect(beforeApproval).toBe('already-handled');
    expect(outcome).toBe('executed');
    expect(endpoint.received).toHaveLength(1);
  });

  it('in dry-run says what it would have run, and calls nobody', async () => {
    withRunbook(httpsRunbook(), { mode: 'dry-run' });
    const decision = await decideOnCpu();

    expect(decision).toMatchObject({
      status: 'skipped',
      result: 'dry-run: would runbook:purge-cache',
    });
    expect(await executeDecision(scaleDeps(), decision, ruleSwitches)).toBe('already-handled');
    expect(endpoint.received).toEqual([]);
  });

  it('counts against the hourly cap like any action', async () => {
    withRunbook(httpsRunbook(), { maxActionsPerHour: 1 });
    const first = await decideOnCpu(0);
    await executeDecision(scaleDeps(), first, ruleSwitches);
    // Past the recovery cooldown (10 minutes here), inside the hour.
    const second = await decideOnCpu(20);

    expect(second).toMatchObject({
      action: 'runbook:purge-cache',
      status: 'skipped',
      result: 'action cap: 1 actions in the last hour',
    });
    expect(endpoint.received).toHaveLength(1);
  });

  it('is verified after its window and learned under its own name', async () => {
    withRunbook(httpsRunbook());
    const decision = await decideOnCpu();
    await executeDecision(scaleDeps(), decision, ruleSwitches);
    for (const minute of [1, 2, 3, 4, 5]) await env.sample(minute, { cpu: 40, memory: 50 });

    const verified = await verifyActions(
      { ...env.deps, clock: { now: () => new Date(T0 + 6 * 60_000) } },
      ruleSwitches,
    );

    expect(verified.verified).toEqual([
      expect.objectContaining({ decisionId: decision.id, outcome: 'resolved' }),
    ]);
    const stats = await env.deps.learning.loadStats('web');
    expect(stats.map((s) => s.stats)).toEqual([
      expect.objectContaining({
        diagnosis: 'overload',
        action: 'runbook:purge-cache',
        resolved: 1,
      }),
    ]);
  });
});

describe('a Lambda runbook', () => {
  /** moto invokes Lambda without docker when told to, answering with the event it was given. */
  const lambdaWithoutDocker = (on: boolean) =>
    fetch(`${env.stack.endpoint}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ lambda: { use_docker: !on } }),
    });

  beforeEach(async () => {
    await lambdaWithoutDocker(true);
    const iam = new IAMClient(clientOptions(env.a.config));
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'purge-cache-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await lambdaRunbookClient(env.a.config).send(
      new CreateFunctionCommand({
        FunctionName: 'vigia-runbook-purge-cache',
        Runtime: 'nodejs20.x',
        Role: role.Role!.Arn!,
        Handler: 'index.handler',
        // An empty zip archive: moto stores the code, it never runs it.
        Code: {
          ZipFile: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]),
        },
      }),
    );
  });

  afterEach(async () => {
    await lambdaWithoutDocker(false);
  });

  it('invokes the function once with the decision as its event, idempotency key included', async () => {
    withRunbook({
      kind: 'lambda',
      functionName: 'vigia-runbook-purge-cache',
      payload: { cluster: 'cache-{{serviceId}}' },
    });
    const decision = await decideOnCpu();

    const outcomes = [
      await executeDecision(scaleDeps(), decision, ruleSwitches),
      await executeDecision(scaleDeps(), decision, ruleSwitches),
    ];

    expect(outcomes).toEqual(['executed', 'already-handled']);
    const stored = await env.a.store.getDecision('web', decision.id);
    expect(stored).toMatchObject({ status: 'executed' });
    // moto's answer is the event itself: what the function was given.
    expect(stored!.result).toContain(
      `Lambda vigia-runbook-purge-cache answered: {"runbook":"purge-cache","idempotencyKey":"${decision.id}","serviceId":"web"`,
    );
  });

  it('fails the decision naming the function when it does not exist', async () => {
    // moto's docker-free Lambda answers for any name; the docker one looks the function up first.
    await lambdaWithoutDocker(false);
    withRunbook({ kind: 'lambda', functionName: 'vigia-runbook-gone' });
    const decision = await decideOnCpu();

    expect(await executeDecision(scaleDeps(), decision, ruleSwitches)).toBe('failed');
    const stored = await env.a.store.getDecision('web', decision.id);
    expect(stored!.result).toMatch(
      /^runbook 'purge-cache' failed: runbook 'purge-cache' \(Lambda vigia-runbook-gone\): ResourceNotFoundException/,
    );
    expect(await env.auditTrail()).toEqual([
      expect.objectContaining({ type: 'runbook:purge-cache', status: 'failed' }),
    ]);
  });

  it("fails the decision with the function's own error", async () => {
    // A function that throws: moto's Lambda always succeeds, so the SDK client answers this one.
    const lambda = lambdaRunbookClient(env.a.config);
    const failing = (_next: unknown) => async () => ({
      output: {
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: new TextEncoder().encode(
          '{"errorType":"Error","errorMessage":"redis unreachable"}',
        ),
        $metadata: {},
      },
      response: {},
    });
    lambda.middlewareStack.add(failing as never, { step: 'initialize', name: 'functionError' });
    try {
      withRunbook({ kind: 'lambda', functionName: 'vigia-runbook-purge-cache' });
      const decision = await decideOnCpu();

      expect(await executeDecision(scaleDeps(), decision, ruleSwitches)).toBe('failed');
      expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
        status: 'failed',
        result: "runbook 'purge-cache' failed: Unhandled error: Error: redis unreachable",
      });
    } finally {
      lambda.middlewareStack.remove('functionError');
    }
  });
});

describe('an SSM Automation runbook', () => {
  it('starts the document with the filled parameters and the decision as its client token', async () => {
    // moto has no StartAutomationExecution: the SDK client answers it itself and keeps the input;
    // everything else (the registry, claim, audit) runs on the emulator.
    const started: StartAutomationExecutionCommandInput[] = [];
    const ssm = new SSMClient(clientOptions(env.a.config));
    ssm.middlewareStack.add(
      (_next, context) => async (args) => {
        if (context.commandName !== StartAutomationExecutionCommand.name) return _next(args);
        started.push(args.input as StartAutomationExecutionCommandInput);
        return { output: { AutomationExecutionId: 'exec-1', $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'answerStartAutomation' },
    );
    const deps = {
      ...scaleDeps(),
      runbooks: new AwsRunbookRunner({
        ssm,
        lambda: lambdaRunbookClient(env.a.config),
        secrets: new SsmSecrets(ssmClient(env.a.config), env.a.config.endpoint),
        now: () => new Date(),
      }),
    };
    withRunbook({
      kind: 'ssm-automation',
      document: 'vigia-PurgeRedis',
      parameters: {
        ClusterId: 'cache-{{serviceId}}',
        Reason: ['{{diagnosis}}: {{metric}} {{value}}'],
      },
    });
    const decision = await decideOnCpu();

    const outcomes = [
      await executeDecision(deps, decision, ruleSwitches),
      await executeDecision(deps, decision, ruleSwitches),
    ];

    expect(outcomes).toEqual(['executed', 'already-handled']);
    expect(started).toEqual([
      {
        DocumentName: 'vigia-PurgeRedis',
        Parameters: { ClusterId: ['cache-web'], Reason: ['overload: cpu 93'] },
        ClientToken: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
      },
    ]);
    expect(await env.a.store.getDecision('web', decision.id)).toMatchObject({
      status: 'executed',
      result: 'SSM Automation vigia-PurgeRedis started: execution exec-1',
    });
  });
});
