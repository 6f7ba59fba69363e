// The notification log's rules in memory (lib/store/notification-log.ts): claims, the echo's mark,
// and the unconfirmed entries alert-timers republishes, each change conditional as in the table.
import type {
  NotificationClaim,
  NotificationLog,
  OutboundMessage,
  UnconfirmedPublication,
  UnconfirmedPublications,
} from '../../src/ports';

export interface MemoryLogEntry {
  state: 'sending' | 'sent' | 'unconfirmed' | 'abandoned';
  claimedAt: string;
  message?: OutboundMessage;
  attemptedAt?: string;
  attempts?: number;
  /** Listed as unconfirmed (the sparse index). */
  listed: boolean;
}

export class MemoryNotificationLog implements NotificationLog, UnconfirmedPublications {
  readonly entries = new Map<string, MemoryLogEntry>();

  async claim(key: string, now: Date, staleBefore: Date): Promise<NotificationClaim> {
    const e = this.entries.get(key);
    if (e && e.state !== 'sending') return 'already-sent';
    if (e && e.claimedAt >= staleBefore.toISOString()) return 'in-flight';
    this.entries.set(key, { state: 'sending', claimedAt: now.toISOString(), listed: false });
    return 'claimed';
  }

  async markSent(key: string): Promise<void> {
    if (!this.echo(key) && this.entries.get(key)?.state !== 'sent') {
      throw new Error(`notification ${key} is neither being sent nor sent`);
    }
  }

  /** What the topic's subscriber does when the message reaches it. */
  echo(key: string): boolean {
    const e = this.entries.get(key);
    if (!e || (e.state !== 'sending' && e.state !== 'unconfirmed')) return false;
    this.entries.set(key, { ...e, state: 'sent', listed: false });
    return true;
  }

  async release(key: string): Promise<void> {
    if (this.entries.get(key)?.state === 'sending') this.entries.delete(key);
  }

  async markUnconfirmed(
    key: string,
    claimedAt: Date,
    message: OutboundMessage,
    attemptedAt: Date,
    attempts: number,
  ): Promise<boolean> {
    const e = this.entries.get(key);
    if (e?.state !== 'sending' || e.claimedAt !== claimedAt.toISOString()) return false;
    this.entries.set(key, {
      ...e,
      state: 'unconfirmed',
      message,
      attemptedAt: attemptedAt.toISOString(),
      attempts,
      listed: true,
    });
    return true;
  }

  async due(before: Date, limit: number): Promise<UnconfirmedPublication[]> {
    return [...this.entries.entries()]
      .filter(([, e]) => e.listed && e.attemptedAt! < before.toISOString())
      .sort(([, a], [, b]) => a.attemptedAt!.localeCompare(b.attemptedAt!))
      .slice(0, limit)
      .map(([key, e]) => ({
        key,
        message: e.message!,
        attemptedAt: e.attemptedAt!,
        attempts: e.attempts!,
      }));
  }

  private stillAsSeen(entry: UnconfirmedPublication): MemoryLogEntry | undefined {
    const e = this.entries.get(entry.key);
    const same = e?.listed && e.attemptedAt === entry.attemptedAt && e.attempts === entry.attempts;
    return same && (e.state === 'unconfirmed' || e.state === 'sending') ? e : undefined;
  }

  async claimRepublish(entry: UnconfirmedPublication, now: Date): Promise<boolean> {
    const e = this.stillAsSeen(entry);
    if (!e) return false;
    const at = now.toISOString();
    this.entries.set(entry.key, {
      ...e,
      state: 'sending',
      claimedAt: at,
      attemptedAt: at,
      attempts: entry.attempts + 1,
    });
    return true;
  }

  async abandon(entry: UnconfirmedPublication): Promise<boolean> {
    const e = this.stillAsSeen(entry);
    if (!e) return false;
    this.entries.set(entry.key, { ...e, state: 'abandoned', listed: false });
    return true;
  }
}
