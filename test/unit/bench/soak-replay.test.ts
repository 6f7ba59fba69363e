// The soak's end-of-run replay: what the replay's own work sends to the failure queue is replayed in
// the next round, and what stays after the last round is still counted.
import { describe, expect, it } from 'vitest';
import { replayFailureQueues, type FailureQueues } from '../../../bench/soak/replay';

/** A queue whose replays all succeed; handing on a replayed record queues what it wrote, once. */
function queues(initial: string[], writes: Record<string, string>, failing = new Set<string>()) {
  let queue = [...initial];
  let written: string[] = [];
  const replayed: string[] = [];
  const q: FailureQueues = {
    replay: async () => {
      for (const r of queue) replayed.push(r);
      written = queue.filter((r) => !failing.has(r)).flatMap((r) => (writes[r] ? [writes[r]] : []));
      queue = queue.filter((r) => failing.has(r));
    },
    handOn: async () => {
      queue.push(...written);
      written = [];
    },
    queued: () => queue.length,
  };
  return { q, replayed, queue: () => queue };
}

describe('the soak’s replay of the failure queues', () => {
  it('replays in the next round what a replayed record handed on and the next consumer failed', async () => {
    const { q, replayed, queue } = queues(['watch:sample'], { 'watch:sample': 'decide:anomaly' });

    const rounds = await replayFailureQueues(q, 5, () => {});

    expect(replayed).toEqual(['watch:sample', 'decide:anomaly']);
    expect(queue()).toEqual([]);
    expect(rounds).toBe(2);
  });

  it('leaves counted what reached the queue after the last round', async () => {
    const { q, queue } = queues(
      ['slack:msg', 'watch:sample'],
      { 'watch:sample': 'decide:anomaly' },
      new Set(['slack:msg']),
    );

    const rounds = await replayFailureQueues(q, 1, () => {});

    expect(rounds).toBe(1);
    expect(q.queued()).toBe(2);
    expect(queue()).toEqual(['slack:msg', 'decide:anomaly']);
  });
});
