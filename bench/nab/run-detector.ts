// Runs a detector over one NAB series exactly as collect does: point by point, the state
// round-tripped through JSON between points as it is through DynamoDB.
import type { SeriesDetector } from '../../src/detection/series-detector';
import type { NabRow } from './csv';

export function detectSeries<S>(
  detector: SeriesDetector<S>,
  rows: NabRow[],
  roundTrip = true,
): number[] {
  let state = detector.init();
  const scores: number[] = [];
  for (const row of rows) {
    const { state: next, output } = detector.update(state, {
      timestamp: row.timestamp,
      value: row.value,
    });
    state = roundTrip ? (JSON.parse(JSON.stringify(next)) as S) : next;
    scores.push(output.score);
  }
  return scores;
}
