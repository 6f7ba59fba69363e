// Two-sided CUSUM on standardised residuals: accumulates small persistent deviations a point test
// misses, and says when the level has really moved so the baseline can re-anchor instead of
// raising the same alarm for hours.

/** Slack per point in sigmas: deviations under it do not accumulate. */
const DRIFT = 0.5;

export interface CusumState {
  up: number;
  down: number;
}

export function initCusum(): CusumState {
  return { up: 0, down: 0 };
}

export function updateCusum(state: CusumState, z: number): CusumState {
  return {
    up: Math.max(0, state.up + z - DRIFT),
    down: Math.max(0, state.down - z - DRIFT),
  };
}

/** Signed evidence of a level shift, in CUSUM units (positive = up). */
export function cusumEvidence(state: CusumState): number {
  return state.up >= state.down ? state.up : -state.down;
}
