// The operator's replay of the failure queues at the end of the soak (`npm run replay-failures`, a
// minute apart while something stays, at most `rounds` times). A round ends only once what the
// replayed records wrote has been handed on: a replayed sample writes an anomaly, whose `decide`
// can fail in turn and reach the queue — the next round replays it, and what is queued after the
// last round is still counted.
export interface FailureQueues {
  /** One replay of everything queued. */
  replay(): Promise<void>;
  /** Delivers what the replayed records wrote (the stream, SNS) until it is idle. */
  handOn(): Promise<void>;
  /** What the queues hold. */
  queued(): number;
}

/** Returns the rounds run; `between` moves the clock a minute between two rounds. */
export async function replayFailureQueues(
  queues: FailureQueues,
  rounds: number,
  between: () => void,
): Promise<number> {
  for (let round = 1; round <= rounds; round++) {
    await queues.replay();
    await queues.handOn();
    if (queues.queued() === 0 || round === rounds) return round;
    between();
  }
  return 0;
}
