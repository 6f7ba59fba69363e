// Optional LLM diagnosis of an anomaly's incident (issue 17): the evidence goes to the configured
// OpenAI-compatible providers in order, each within its timeout and monthly token budget, and the
// first answer that passes the schema is cached for the incident and shown on the decision. It is
// advice: the decision's action stays the rule engine's, and the recommended action must be one the
// policy already allows. When no provider answers well the rule-based diagnosis stands alone.
import { incidentKey } from '../alerting/incident';
import { checkLlmAnswer } from '../decision/llm-answer';
import {
  budgetMonth,
  estimateTokens,
  reservationCeiling,
  settlement,
} from '../decision/llm-budget';
import {
  firstValidAnswer,
  type LlmAttempt,
  type LlmProvider,
  type ProviderResult,
} from '../decision/llm-fallback';
import { buildDiagnosisPrompt, type ChatMessage } from '../decision/llm-prompt';
import type { Anomaly, Decision, LlmDiagnosis } from '../model';
import type { Clock, LearningStore } from '../ports';

export type LlmChatResult =
  | { ok: true; content: string; totalTokens: number | null }
  | { ok: false; outcome: 'timeout' | 'rate-limited' | 'failed'; detail: string };

/** One chat completion (lib/llm): never throws for the provider's own failures. */
export interface LlmChat {
  complete(
    provider: LlmProvider,
    apiKey: string | null,
    messages: ChatMessage[],
    maxTokens: number,
  ): Promise<LlmChatResult>;
}

export interface LlmKeys {
  /** The provider's API key; null when it needs none; undefined when its parameter is missing. */
  apiKey(provider: LlmProvider): Promise<string | null | undefined>;
}

/** Token use per provider and month, each change a conditional ADD on one item. */
export interface LlmBudget {
  /** Adds `tokens` only while the month's use is ≤ `ceiling`; false when that would overspend. */
  reserve(provider: string, month: string, tokens: number, ceiling: number): Promise<boolean>;
  settle(provider: string, month: string, delta: number): Promise<void>;
}

export interface LlmDiagnosisCache {
  get(serviceId: string, incidentId: string): Promise<LlmDiagnosis | null>;
  /** Create-only: false when another decision of the incident cached its diagnosis first. */
  put(serviceId: string, diagnosis: LlmDiagnosis, now: Date): Promise<boolean>;
}

export interface LlmDiagnosisDeps {
  clock: Clock;
  providers: readonly LlmProvider[];
  chat: LlmChat;
  keys: LlmKeys;
  budget: LlmBudget;
  cache: LlmDiagnosisCache;
  samples: Pick<LearningStore, 'samplesBetween'>;
}

export interface LlmDiagnosisInput {
  anomaly: Anomaly;
  openAnomalies: readonly Anomaly[];
  /** The rule engine's decision: its candidates and allowed actions bound the answer. */
  decision: Decision;
  recentDecisions: readonly Decision[];
}

export interface LlmDiagnosisResult {
  llm: LlmDiagnosis | null;
  attempts: LlmAttempt[];
}

const MINUTE = 60_000;
const SAMPLE_MINUTES = 30;
/** The longest answer asked for: a JSON object of four short fields. */
export const MAX_ANSWER_TOKENS = 600;

export async function diagnoseWithLlm(
  deps: LlmDiagnosisDeps,
  input: LlmDiagnosisInput,
): Promise<LlmDiagnosisResult> {
  const { anomaly, decision } = input;
  const allowed = decision.allowedActions ?? [];
  const incidentId = incidentIdOf(anomaly, input.openAnomalies);
  const cached = await deps.cache.get(anomaly.serviceId, incidentId);
  if (cached) return { llm: withinPolicy(cached, allowed), attempts: [] };

  const at = Date.parse(anomaly.at);
  const samples = await deps.samples.samplesBetween(
    anomaly.serviceId,
    new Date(at - SAMPLE_MINUTES * MINUTE),
    new Date(at),
  );
  const messages = buildDiagnosisPrompt({
    serviceId: anomaly.serviceId,
    anomaly,
    samples,
    anomalies: input.openAnomalies,
    candidates: decision.diagnoses ?? [],
    recentDecisions: input.recentDecisions,
    allowedActions: allowed,
  });
  const month = budgetMonth(deps.clock.now());
  const reserved = estimateTokens(messages.map((m) => m.content).join('\n'), MAX_ANSWER_TOKENS);

  const ask = async (provider: LlmProvider): Promise<ProviderResult> => {
    const apiKey = await deps.keys.apiKey(provider);
    if (apiKey === undefined) {
      return { outcome: 'no-key', detail: `SSM parameter ${provider.apiKeyParameter} not found` };
    }
    const ceiling = reservationCeiling(provider.monthlyTokenBudget, reserved);
    if (ceiling === null || !(await deps.budget.reserve(provider.name, month, reserved, ceiling))) {
      return { outcome: 'over-budget', detail: `monthly budget of ${provider.monthlyTokenBudget}` };
    }
    const reply = await deps.chat.complete(provider, apiKey, messages, MAX_ANSWER_TOKENS);
    await deps.budget.settle(
      provider.name,
      month,
      settlement(reserved, reply.ok ? reply.totalTokens : null),
    );
    if (!reply.ok) return { outcome: reply.outcome, detail: reply.detail };
    const checked = checkLlmAnswer(reply.content, allowed);
    if (!checked.ok) return { outcome: 'malformed', detail: checked.problem };
    return { outcome: 'answered', answer: checked.answer };
  };

  const found = await firstValidAnswer(deps.providers, ask);
  if (!found.answer || !found.provider) return { llm: null, attempts: found.attempts };
  const llm: LlmDiagnosis = {
    provider: found.provider.name,
    model: found.provider.model,
    incidentId,
    ...found.answer,
  };
  if (await deps.cache.put(anomaly.serviceId, llm, deps.clock.now())) {
    return { llm, attempts: found.attempts };
  }
  // Another anomaly of the incident cached first: every decision of it shows the same diagnosis.
  const winner = await deps.cache.get(anomaly.serviceId, incidentId);
  return { llm: withinPolicy(winner ?? llm, allowed), attempts: found.attempts };
}

/** The decision with the model's advice on it (the alert and /decisions/{id} show it from there). */
export function withLlmDiagnosis(decision: Decision, result: LlmDiagnosisResult): Decision {
  return {
    ...decision,
    ...(result.llm ? { llm: result.llm } : {}),
    ...(result.attempts.length > 0 ? { llmAttempts: result.attempts } : {}),
  };
}

/** The incident's id as the alert manager names it: the service and its first open anomaly. */
function incidentIdOf(anomaly: Anomaly, open: readonly Anomaly[]): string {
  const first = open.reduce((min, a) => (a.at < min ? a.at : min), anomaly.at);
  return incidentKey(anomaly.serviceId, first);
}

/** A cached recommendation another decision's policy allowed may not be allowed here: drop it. */
function withinPolicy(llm: LlmDiagnosis, allowed: readonly string[]): LlmDiagnosis {
  return llm.recommendedAction && !allowed.includes(llm.recommendedAction)
    ? { ...llm, recommendedAction: null }
    : llm;
}
