// The detector collect runs for every series. Swap the implementation here, nowhere else.
import { robustZScoreDetector } from './robust-zscore';

export type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';

export const seriesDetector = robustZScoreDetector();
export type SeriesState = ReturnType<typeof seriesDetector.init>;
