// A provider's monthly token budget: what one call may reserve before it is made, and how the
// reservation is settled against what the provider reports it used. The store applies both as
// conditional ADDs on one item per provider and month, so concurrent decisions never overspend.

/** The budget's period: the calendar month in UTC, e.g. "2026-12". */
export function budgetMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** Roughly four characters a token for English and JSON: enough for a budget, not for billing. */
export function estimateTokens(prompt: string, maxAnswerTokens: number): number {
  return Math.ceil(prompt.length / 4) + maxAnswerTokens;
}

/**
 * The highest month-to-date usage at which a reservation of `tokens` still fits the budget, or null
 * when it can never fit (the store's condition: used ≤ this).
 */
export function reservationCeiling(monthlyBudget: number, tokens: number): number | null {
  const ceiling = monthlyBudget - tokens;
  return ceiling < 0 ? null : ceiling;
}

/** What to add once the call is over: the tokens actually used minus those reserved (may be < 0). */
export function settlement(reserved: number, used: number | null): number {
  // A provider that reports no usage is charged the reservation.
  return used === null ? 0 : used - reserved;
}
