// The real clock, for adapters and handlers; the domain receives it as a port.
import type { Clock } from '../src/ports';

export const systemClock: Clock = { now: () => new Date() };
