// The LLM diagnosis's pure parts: the answer's schema (never an action the policy does not allow),
// the budget arithmetic, the providers' fallback order, the prompt's evidence, and the switch.
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../lib/config';
import { checkLlmAnswer } from '../../../src/decision/llm-answer';
import {
  budgetMonth,
  estimateTokens,
  reservationCeiling,
  settlement,
} from '../../../src/decision/llm-budget';
import { firstValidAnswer, type LlmProvider } from '../../../src/decision/llm-fallback';
import { buildDiagnosisPrompt } from '../../../src/decision/llm-prompt';
import { aDecision, aSample, anAnomaly, anEcsState } from '../../support/builders';

const good = {
  cause: 'overload',
  confidence: 0.8,
  recommendedAction: 'scale-out',
  explanation: 'cpu at 93% with requests doubled',
};

describe('the LLM answer', () => {
  it('accepts the schema, bare or in a Markdown fence', () => {
    expect(checkLlmAnswer(JSON.stringify(good), ['scale-out', 'notify'])).toEqual({
      ok: true,
      answer: good,
    });
    expect(checkLlmAnswer('```json\n' + JSON.stringify(good) + '\n```', ['scale-out']).ok).toBe(
      true,
    );
  });

  it('rejects prose, a confidence outside 0..1, a missing field and an action the policy does not allow', () => {
    expect(checkLlmAnswer('the service is overloaded', ['scale-out'])).toEqual({
      ok: false,
      problem: 'the answer is not JSON',
    });
    const bad = (over: object) =>
      checkLlmAnswer(JSON.stringify({ ...good, ...over }), ['scale-out']);
    expect(bad({ confidence: 1.5 })).toMatchObject({ ok: false, problem: /^confidence/ });
    expect(bad({ explanation: undefined })).toMatchObject({ ok: false, problem: /^explanation/ });
    expect(bad({ recommendedAction: 'rollback' })).toMatchObject({
      ok: false,
      problem: /^recommendedAction/,
    });
    // A policy that allows nothing: only null will do.
    expect(checkLlmAnswer(JSON.stringify(good), []).ok).toBe(false);
    expect(checkLlmAnswer(JSON.stringify({ ...good, recommendedAction: null }), []).ok).toBe(true);
  });
});

describe('the monthly token budget', () => {
  it('is per UTC calendar month, reserves the estimate and settles to what was used', () => {
    expect(budgetMonth(new Date('2026-12-31T23:59:59.000Z'))).toBe('2026-12');
    expect(estimateTokens('x'.repeat(400), 600)).toBe(700);
    expect(reservationCeiling(10_000, 700)).toBe(9_300);
    expect(reservationCeiling(500, 700)).toBeNull();
    expect(settlement(700, 321)).toBe(-379);
    expect(settlement(700, null)).toBe(0);
  });
});

describe('the providers fallback', () => {
  const p = (name: string): LlmProvider => ({
    name,
    baseUrl: `http://127.0.0.1/${name}`,
    model: 'm',
    timeoutMs: 1000,
    monthlyTokenBudget: 1000,
  });

  it('asks in the configured order until one answers, counting a thrown error as a failure', async () => {
    const asked: string[] = [];
    const found = await firstValidAnswer([p('a'), p('b'), p('c'), p('d')], async (provider) => {
      asked.push(provider.name);
      if (provider.name === 'a') return { outcome: 'timeout', detail: 'slow' };
      if (provider.name === 'b') throw new Error('socket hang up');
      return { outcome: 'answered', answer: { ...good, recommendedAction: 'scale-out' } };
    });
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(found.provider?.name).toBe('c');
    expect(found.attempts.map((x) => x.outcome)).toEqual(['timeout', 'failed', 'answered']);
  });

  it('gives no answer when every provider is passed over', async () => {
    const found = await firstValidAnswer([p('a')], async () => ({
      outcome: 'malformed',
      detail: 'x',
    }));
    expect(found).toEqual({
      answer: null,
      provider: null,
      attempts: [{ provider: 'a', outcome: 'malformed', detail: 'x' }],
    });
  });
});

describe('the prompt', () => {
  it('carries the evidence, bounded, and the allowed actions', () => {
    const samples = Array.from({ length: 40 }, (_, i) =>
      aSample({
        at: new Date(Date.UTC(2026, 2, 2, 10, i)).toISOString(),
        metrics: { cpu: i },
        ecs: anEcsState({ lastDeploymentAt: '2026-03-02T09:50:00.000Z' }),
      }),
    );
    const [system, user] = buildDiagnosisPrompt({
      serviceId: 'web',
      anomaly: anAnomaly(),
      samples,
      anomalies: [anAnomaly()],
      candidates: [{ name: 'overload', confidence: 0.7, evidence: ['cpu 93% ≥ 80%'] }],
      recentDecisions: [aDecision({ outcome: 'resolved' })],
      allowedActions: ['scale-out', 'notify'],
    });
    expect(system!.content).toMatch(/allowedActions/);
    const evidence = JSON.parse(user!.content) as Record<string, unknown[]>;
    expect(evidence.recentSamples).toHaveLength(15);
    expect(evidence.recentSamples!.at(-1)).toMatchObject({ cpu: 39, running: 2, desired: 2 });
    expect(evidence.deployments).toEqual([
      { taskDefinition: anEcsState().taskDefinition, at: '2026-03-02T09:50:00.000Z' },
    ]);
    expect(evidence.diagnosisCandidates).toEqual([
      { name: 'overload', confidence: 0.7, evidence: ['cpu 93% ≥ 80%'] },
    ]);
    expect(evidence.lastActions).toEqual([
      expect.objectContaining({ action: 'scale-out', outcome: 'resolved' }),
    ]);
    expect(evidence.allowedActions).toEqual(['scale-out', 'notify']);
  });
});

describe('the switch', () => {
  const providers = JSON.stringify([
    { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', model: 'llama-3.3-70b-versatile' },
  ]);

  it('is off by default, and on only with LLM_DIAGNOSIS_ENABLED and at least one provider', () => {
    expect(parseEnv({ VIGIA_TABLE: 't', VIGIA_LLM_PROVIDERS: providers }).llm.enabled).toBe(false);
    const on = parseEnv({
      VIGIA_TABLE: 't',
      LLM_DIAGNOSIS_ENABLED: 'true',
      VIGIA_LLM_PROVIDERS: providers,
    });
    expect(on.llm).toEqual({
      enabled: true,
      providers: [
        expect.objectContaining({ name: 'groq', timeoutMs: 10_000, monthlyTokenBudget: 1_000_000 }),
      ],
    });
    expect(() => parseEnv({ VIGIA_TABLE: 't', LLM_DIAGNOSIS_ENABLED: 'true' })).toThrow(
      /at least one provider/,
    );
    expect(() =>
      parseEnv({ VIGIA_TABLE: 't', VIGIA_LLM_PROVIDERS: '[{"name":"x","baseUrl":"nope"}]' }),
    ).toThrow(/VIGIA_LLM_PROVIDERS/);
  });
});
