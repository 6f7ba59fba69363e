// The providers' fallback order: each configured provider in turn until one answers within its
// timeout and budget with an answer that passes the schema; when none does, the caller keeps the
// rule-based diagnosis. Every step is recorded, so a decision shows why a provider was passed over.
import type { LlmAnswer } from './llm-answer';

/** One OpenAI-compatible chat-completions endpoint, as configured (lib/config.ts). */
export interface LlmProvider {
  name: string;
  /** e.g. https://api.groq.com/openai/v1 — `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** SSM SecureString parameter holding the API key; none for a self-hosted server without one. */
  apiKeyParameter?: string | undefined;
  timeoutMs: number;
  monthlyTokenBudget: number;
}

export type LlmAttemptOutcome =
  'answered' | 'malformed' | 'timeout' | 'rate-limited' | 'failed' | 'over-budget' | 'no-key';

export interface LlmAttempt {
  provider: string;
  outcome: LlmAttemptOutcome;
  detail: string;
}

export type ProviderResult =
  | { outcome: 'answered'; answer: LlmAnswer }
  | { outcome: Exclude<LlmAttemptOutcome, 'answered'>; detail: string };

export interface FallbackResult {
  /** The first valid answer and who gave it; null when every provider was passed over. */
  answer: LlmAnswer | null;
  provider: LlmProvider | null;
  attempts: LlmAttempt[];
}

/** Asks each provider in the configured order; a thrown error counts as that provider failing. */
export async function firstValidAnswer(
  providers: readonly LlmProvider[],
  ask: (provider: LlmProvider) => Promise<ProviderResult>,
): Promise<FallbackResult> {
  const attempts: LlmAttempt[] = [];
  for (const provider of providers) {
    let result: ProviderResult;
    try {
      result = await ask(provider);
    } catch (err) {
      result = { outcome: 'failed', detail: err instanceof Error ? err.message : String(err) };
    }
    if (result.outcome === 'answered') {
      attempts.push({ provider: provider.name, outcome: 'answered', detail: '' });
      return { answer: result.answer, provider, attempts };
    }
    attempts.push({ provider: provider.name, outcome: result.outcome, detail: result.detail });
  }
  return { answer: null, provider: null, attempts };
}
