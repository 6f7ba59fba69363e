// One chat completion against an OpenAI-compatible endpoint (Groq, OpenAI, vLLM, Ollama, llama.cpp
// server...): node's fetch under AbortSignal.timeout, so a slow provider costs at most its timeout.
// A provider's failure is an outcome, not an exception: the caller falls through to the next one.
import { z } from 'zod';
import type { LlmProvider } from '../../src/decision/llm-fallback';
import type { ChatMessage } from '../../src/decision/llm-prompt';
import type { LlmChat, LlmChatResult } from '../../src/use-cases/llm-diagnosis';

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z.object({ total_tokens: z.number().int().min(0) }).nullish(),
});

export class OpenAiCompatibleChat implements LlmChat {
  async complete(
    provider: LlmProvider,
    apiKey: string | null,
    messages: ChatMessage[],
    maxTokens: number,
  ): Promise<LlmChatResult> {
    const url = `${provider.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    let body: unknown;
    try {
      // The timeout covers the whole exchange, headers and body alike.
      const signal = AbortSignal.timeout(provider.timeoutMs);
      const res = await fetch(url, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: provider.model,
          messages,
          max_tokens: maxTokens,
          temperature: 0,
        }),
      });
      const text = await res.text();
      if (res.status === 429) return { ok: false, outcome: 'rate-limited', detail: 'HTTP 429' };
      if (!res.ok) return { ok: false, outcome: 'failed', detail: `HTTP ${res.status}` };
      body = JSON.parse(text);
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return {
          ok: false,
          outcome: 'timeout',
          detail: `no answer within ${provider.timeoutMs} ms`,
        };
      }
      // Never the key or the prompt: only what went wrong.
      return { ok: false, outcome: 'failed', detail: (err as Error).message ?? String(err) };
    }
    const parsed = completionSchema.safeParse(body);
    if (!parsed.success || parsed.data.choices[0]!.message.content === null) {
      return { ok: false, outcome: 'failed', detail: 'not a chat completion' };
    }
    return {
      ok: true,
      content: parsed.data.choices[0]!.message.content,
      totalTokens: parsed.data.usage?.total_tokens ?? null,
    };
  }
}
