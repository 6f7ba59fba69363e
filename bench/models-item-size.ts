// `npx tsx bench/models-item-size.ts [checkout]`: the models item collect saves for one service with
// six series (8 days of synthetic one-minute data with a daily cycle), each series through the
// detector that checkout's collect runs on it: JSON and gzip'd bytes, and per series.
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SeriesDetector } from '../src/detection';

const checkout = resolve(process.argv[2] ?? '.');
const m = (await import(resolve(checkout, 'src/detection/index.ts'))) as {
  collectDetector: SeriesDetector<unknown>;
  collectDetectorFor?: (metric: string, metrics: ReadonlySet<string>) => SeriesDetector<unknown>;
};
const metrics = ['cpu', 'memory', 'requests', 'latency_p95', 'errors_5xx', 'error_rate'];
const minutes = 8 * 1440;
const t0 = Date.UTC(2026, 10, 1);
const series = metrics.map((metric, i) => {
  // Before the choice per metric existed, collect ran one detector on every series.
  const d = m.collectDetectorFor?.(metric, new Set(metrics)) ?? m.collectDetector;
  let s = d.init();
  let seed = 17 + i;
  const noise = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  for (let k = 0; k < minutes; k++) {
    const v = (10 + i * 7) * (1 + 0.3 * Math.sin((2 * Math.PI * k) / 1440)) * (1 + 0.1 * noise());
    s = d.update(s, { timestamp: t0 + k * 60_000, value: v }).state;
  }
  return { metric, state: { lastTimestamp: t0 + (minutes - 1) * 60_000, detector: s }, version: 1 };
});
const json = JSON.stringify({ series });
console.log(
  `${checkout}: models item ${json.length} bytes of JSON, ${gzipSync(json).length} gzip'd; per series ${series
    .map((s) => `${s.metric} ${JSON.stringify(s.state).length}`)
    .join(', ')}`,
);
