// Alerting routes (silences, acknowledgements, incidents): filled in by the alerting work (issue 6).
import type { Route } from '../route';

export const alertRoutes: Route[] = [];
