// The detector collect runs for every series. Swap the implementation here, nowhere else.
import { vigiaDetector } from './vigia-detector';

export type { DetectionOutput, SeriesDetector, SeriesPoint } from './series-detector';

export const seriesDetector = vigiaDetector();
export type SeriesState = ReturnType<typeof seriesDetector.init>;
