// What a language model must answer about an incident: a zod schema built per decision, because the
// recommended action has to be one the service's policy already allows. An answer that does not fit
// is as good as none, so the caller falls through to the next provider.
import { z } from 'zod';
import type { ActionType } from '../model/decision';

export interface LlmAnswer {
  cause: string;
  /** 0..1, as the model rates its own certainty. */
  confidence: number;
  /** One of the policy's allowed actions; null when the policy allows none. */
  recommendedAction: ActionType | null;
  explanation: string;
}

/** The answer's schema for one decision: the action is an enum of exactly what the policy allows. */
export function llmAnswerSchema(allowed: readonly ActionType[]) {
  const action =
    allowed.length > 0
      ? z.enum(allowed as [ActionType, ...ActionType[]])
      : z.null('the policy allows no action: recommendedAction must be null');
  return z.object({
    cause: z.string().trim().min(1).max(300),
    confidence: z.number().min(0).max(1),
    recommendedAction: action,
    explanation: z.string().trim().min(1).max(2000),
  });
}

export type LlmAnswerCheck = { ok: true; answer: LlmAnswer } | { ok: false; problem: string };

/**
 * Parses a chat completion's content. Models often wrap JSON in a Markdown fence; that is
 * tolerated, anything else that is not the schema's object is rejected with the reason.
 */
export function checkLlmAnswer(content: string, allowed: readonly ActionType[]): LlmAnswerCheck {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  let raw: unknown;
  try {
    raw = JSON.parse(fenced ? fenced[1]! : content);
  } catch {
    return { ok: false, problem: 'the answer is not JSON' };
  }
  const parsed = llmAnswerSchema(allowed).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'answer';
    return { ok: false, problem: `${where}: ${first?.message ?? 'does not match the schema'}` };
  }
  return { ok: true, answer: parsed.data as LlmAnswer };
}
