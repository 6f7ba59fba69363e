// The optional LLM diagnosis against a real local OpenAI-compatible server (no provider is reachable
// from CI, and none is called): a provider that answers slowly, with 429, with 500 or with an answer
// outside the schema is passed over for the next; when none answers well the rule-based diagnosis
// stands; the answer is cached per incident, bounded by a monthly token budget, shown on the
// decision (GET /decisions/{id}) and in the alert.
import http from 'node:http';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import { ssmClient } from '../../lib/aws/ssm-client';
import { apiHandler } from '../../lib/http/api-pipeline';
import type { HttpResult } from '../../lib/middleware/http';
import { actionRoutes } from '../../lib/http/routes/actions';
import { DynamoLlmBudget } from '../../lib/llm/llm-store';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { decideDeps, llmDiagnosisDeps } from '../../lib/wiring/decisions';
import { useStackEnvironment, localConfig } from '../support/local-aws';
import { alertingConfigSchema } from '../../src/alerting';
import { budgetMonth } from '../../src/decision/llm-budget';
import type { LlmProvider } from '../../src/decision/llm-fallback';
import type { Decision } from '../../src/model';
import { flushServiceAlerts, processAlertInput } from '../../src/use-cases/alert-notifications';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { FleetWatch } from '../../scripts/lib/fleet-watch';
import { freePort } from '../support/free-port';
import { at, decisionStack, ruleSwitches, webService } from './decision-fixtures';

const GOOD_TOKENS = 321;

/** What each kind of provider answers; the path's first segment picks the kind. */
function answer(
  kind: string,
  allowed: string[],
): { status: number; body: unknown; delayMs?: number } {
  const completion = (content: string) => ({
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 300, completion_tokens: 21, total_tokens: GOOD_TOKENS },
  });
  const good = {
    cause: 'CPU saturation from a traffic surge',
    confidence: 0.82,
    recommendedAction: allowed[0] ?? null,
    explanation: 'Requests doubled while CPU reached 93%; more tasks absorb the load.',
  };
  switch (kind) {
    case 'good':
      return { status: 200, body: completion('```json\n' + JSON.stringify(good) + '\n```') };
    case 'slow':
      return { status: 200, body: completion(JSON.stringify(good)), delayMs: 3_000 };
    case 'limited':
      return { status: 429, body: { error: { message: 'rate limit reached' } } };
    case 'broken':
      return { status: 500, body: { error: { message: 'internal error' } } };
    case 'prose':
      return { status: 200, body: completion('I think the service is overloaded.') };
    case 'widen':
      // Valid JSON, but an action the policy does not allow: it must not get through.
      return {
        status: 200,
        body: completion(JSON.stringify({ ...good, recommendedAction: 'rollback' })),
      };
    default:
      return { status: 404, body: {} };
  }
}

interface Received {
  kind: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[] };
}

let server: http.Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  const port = await freePort();
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const kind = (req.url ?? '').split('/')[1] ?? '';
      const body = JSON.parse(text) as Received['body'];
      received.push({ kind, authorization: req.headers.authorization, body });
      const evidence = JSON.parse(body.messages.at(-1)!.content) as { allowedActions: string[] };
      const reply = answer(kind, evidence.allowedActions);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

function provider(kind: string, overrides: Partial<LlmProvider> = {}): LlmProvider {
  return {
    name: kind,
    baseUrl: `${base}/${kind}/v1`,
    model: `${kind}-model`,
    timeoutMs: 500,
    monthlyTokenBudget: 100_000,
    ...overrides,
  };
}

let env: Awaited<ReturnType<typeof decisionStack>>;

beforeEach(async () => {
  received.length = 0;
  env = await decisionStack();
});

/** The decide function's adapters with the LLM switched on and these providers, in this order. */
function withProviders(providers: LlmProvider[]) {
  const config = localConfig(env.stack.endpoint, env.stack.tableName, {
    LLM_DIAGNOSIS_ENABLED: 'true',
    VIGIA_LLM_PROVIDERS: JSON.stringify(providers),
  });
  return { ...env.deps, llm: llmDiagnosisDeps(config) };
}

describe('LLM diagnosis', () => {
  it('is off by default: decide has no LLM and no provider is asked', async () => {
    const off = localConfig(env.stack.endpoint, env.stack.tableName, {
      VIGIA_LLM_PROVIDERS: JSON.stringify([provider('good')]),
    });
    expect(decideDeps(off).llm).toBeUndefined();
    const on = localConfig(env.stack.endpoint, env.stack.tableName, {
      LLM_DIAGNOSIS_ENABLED: 'true',
      VIGIA_LLM_PROVIDERS: JSON.stringify([provider('good')]),
    });
    expect(decideDeps(on).llm?.providers.map((p) => p.name)).toEqual(['good']);

    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const offLlm = decideDeps(off).llm;
    const { decision } = await decideOnAnomaly(
      offLlm ? { ...env.deps, llm: offLlm } : env.deps,
      anomaly,
      ruleSwitches,
    );
    expect(decision.llm).toBeUndefined();
    expect(decision.llmAttempts).toBeUndefined();
    expect(received).toEqual([]);
  });

  it('falls through slow, 429, 500, prose and a widened action to the provider that answers well', async () => {
    const key = `/vigia/test-${process.pid}/llm/good`;
    await ssmClient(env.a.config).send(
      new PutParameterCommand({
        Name: key,
        Value: 'sk-test-123',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    await env.sample(-2, { cpu: 70, memory: 50, requests: 500 });
    await env.sample(-1, { cpu: 85, memory: 50, requests: 900 });
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50, requests: 1000 });
    const deps = withProviders([
      provider('slow', { timeoutMs: 300 }),
      provider('limited'),
      provider('broken'),
      provider('prose'),
      provider('widen'),
      provider('good', { apiKeyParameter: key }),
    ]);

    const started = Date.now();
    const { decision } = await decideOnAnomaly(deps, anomaly, ruleSwitches);

    expect(Date.now() - started).toBeLessThan(2_500); // the slow one cost its timeout, not 3 s
    expect(decision.llmAttempts?.map((a) => [a.provider, a.outcome])).toEqual([
      ['slow', 'timeout'],
      ['limited', 'rate-limited'],
      ['broken', 'failed'],
      ['prose', 'malformed'],
      ['widen', 'malformed'],
      ['good', 'answered'],
    ]);
    expect(decision.llmAttempts?.[4]?.detail).toMatch(/recommendedAction/);
    // Advice only: the rules' diagnosis and action stand, and the advice is within the policy.
    expect(decision).toMatchObject({
      action: 'scale-out',
      diagnosis: 'overload',
      llm: {
        provider: 'good',
        model: 'good-model',
        cause: 'CPU saturation from a traffic surge',
        confidence: 0.82,
        recommendedAction: 'scale-out',
        incidentId: `inc~web~${at(0)}`,
      },
    });
    expect(decision.allowedActions).toContain(decision.llm!.recommendedAction);
    expect(decision.llm?.explanation).toContain('more tasks absorb the load');

    // The key came from SSM, and the prompt carried the evidence.
    const asked = received.find((r) => r.kind === 'good')!;
    expect(asked.authorization).toBe('Bearer sk-test-123');
    expect(received.find((r) => r.kind === 'limited')!.authorization).toBeUndefined();
    expect(asked.body.model).toBe('good-model');
    const evidence = JSON.parse(asked.body.messages.at(-1)!.content) as Record<string, unknown>;
    expect(evidence).toMatchObject({
      service: 'web',
      anomaly: { metric: 'cpu', value: 93 },
      recentSamples: expect.arrayContaining([expect.objectContaining({ cpu: 85, requests: 900 })]),
      anomalies: [expect.objectContaining({ metric: 'cpu' })],
      diagnosisCandidates: expect.arrayContaining([expect.objectContaining({ name: 'overload' })]),
      deployments: [expect.objectContaining({ taskDefinition: expect.any(String) })],
      lastActions: [],
      allowedActions: decision.allowedActions,
    });

    // The month's budget holds what the provider reported using, not the reservation.
    const budget = new DynamoLlmBudget(env.a.table);
    expect(await budget.used('good', budgetMonth(new Date()))).toBe(GOOD_TOKENS);
  });

  it('keeps the rule-based diagnosis when every provider fails, with each reason on the decision', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const deps = withProviders([
      provider('broken'),
      provider('prose'),
      provider('good', { apiKeyParameter: '/vigia/test/llm/missing' }),
    ]);

    const { decision } = await decideOnAnomaly(deps, anomaly, ruleSwitches);

    expect(decision.llm).toBeUndefined();
    expect(decision).toMatchObject({
      action: 'scale-out',
      diagnosis: 'overload',
      status: 'approved',
    });
    expect(decision.llmAttempts?.map((a) => a.outcome)).toEqual(['failed', 'malformed', 'no-key']);
    expect(received.map((r) => r.kind)).toEqual(['broken', 'prose']);
  });

  it('skips a provider over its monthly budget for the next one', async () => {
    const anomaly = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const deps = withProviders([
      provider('limited', { name: 'tiny', monthlyTokenBudget: 50 }),
      provider('good', { monthlyTokenBudget: 5_000 }),
    ]);
    const budget = new DynamoLlmBudget(env.a.table);
    const month = budgetMonth(new Date()); // the month the tokens are spent in
    // This month's use so far leaves the good provider less than one diagnosis either.
    await budget.reserve('good', month, 4_900, 5_000);

    const { decision } = await decideOnAnomaly(deps, anomaly, ruleSwitches);

    expect(decision.llmAttempts?.map((a) => [a.provider, a.outcome])).toEqual([
      ['tiny', 'over-budget'],
      ['good', 'over-budget'],
    ]);
    expect(received).toEqual([]);
    expect(await budget.used('good', month)).toBe(4_900);
  });

  it('asks once per incident, shows the advice on a proposed decision at /decisions/{id} and in the alert', async () => {
    env.setService(webService({ mode: 'approve' }));
    const deps = withProviders([provider('good')]);
    const first = await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 });
    const second = await env.anomaly(1, 'cpu', { cpu: 95, memory: 50 });

    const one = (await decideOnAnomaly(deps, first, ruleSwitches)).decision;
    const two = (await decideOnAnomaly(deps, second, ruleSwitches)).decision;

    expect(received.map((r) => r.kind)).toEqual(['good']);
    expect(one.status).toBe('proposed');
    expect(one.llm).toMatchObject({
      recommendedAction: 'scale-out',
      incidentId: `inc~web~${at(0)}`,
    });
    expect(two.llm).toEqual(one.llm);

    // GET /decisions/{id}, through the api function's real handler.
    useStackEnvironment(env.stack);
    const handler = apiHandler(actionRoutes, {
      now: () => new Date(),
      authenticate: async () => ({
        keyId: 'k1',
        name: 'ops',
        scopes: ['read'],
        rateLimitPerMinute: null,
      }),
      rateLimit: async () => ({ allowed: true, retryAfterSeconds: 0, remaining: 100 }),
    });
    const get = async (id: string) =>
      (await handler(
        {
          rawPath: `/decisions/${encodeURIComponent(id)}`,
          headers: { 'x-api-key': 'k' },
          isBase64Encoded: false,
          requestContext: { requestId: 'r1', http: { method: 'GET' } },
        } as unknown as APIGatewayProxyEventV2,
        {} as Context,
      )) as HttpResult;
    const shown = await get(one.id);
    expect(shown.statusCode).toBe(200);
    expect((JSON.parse(shown.body) as { decision: Decision }).decision).toMatchObject({
      id: one.id,
      status: 'proposed',
      llm: { cause: 'CPU saturation from a traffic surge', recommendedAction: 'scale-out' },
    });
    expect((await get('web~2026-03-02T09:00:00.000Z~cpu~decision')).statusCode).toBe(404);

    // The alert for the incident carries the explanation.
    // Critical incidents wait a little, so the first message carries the decision.
    const config = alertingConfigSchema.parse({ criticalGroupWaitSeconds: 30 });
    const store = new DynamoAlertingStore(env.a.table, config);
    const clock = { now: () => new Date(Date.parse(at(2))) };
    const alertDeps = {
      clock,
      store,
      observations: env.a.store,
      log: env.a.store,
      notifier: new SnsNotifier(
        createClients(env.a.config).sns,
        env.stack.topicArn,
        env.stack.endpoint,
      ),
      config,
    };
    await processAlertInput(alertDeps, { kind: 'anomaly', anomaly: first });
    await processAlertInput(alertDeps, { kind: 'decision', decision: one });
    clock.now = () => new Date(Date.parse(at(5)));
    await flushServiceAlerts(alertDeps, 'web');
    const watch = new FleetWatch(env.stack.endpoint, env.stack.tableName, env.stack.inboxQueueUrl);
    const inbox = await watch.receive(3);
    expect(inbox.map((m) => m.message).join('\n')).toContain('more tasks absorb the load');
  });
});
