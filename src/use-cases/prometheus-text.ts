// Prometheus text exposition format 0.0.4: metric families with HELP and TYPE lines, label values
// escaped, one line per series. A scrape that repeats a series is rejected by Prometheus as a whole,
// so families of the same name are merged and a repeated label set keeps its last value.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface ExposedSample {
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: ExposedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Inside a label value: backslash, double quote and line feed are escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** In HELP text: backslash and line feed are escaped (a quote is not). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/**
 * The body of a scrape. Names come from code, so a bad metric or label name is a bug and throws;
 * label values come from data (service ids, metric ids) and are escaped. Empty families are left out.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const merged = new Map<string, { family: MetricFamily; series: Map<string, ExposedSample> }>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name '${family.name}'`);
    let entry = merged.get(family.name);
    if (!entry) {
      entry = { family, series: new Map() };
      merged.set(family.name, entry);
    } else if (entry.family.type !== family.type) {
      throw new Error(`metric ${family.name} is both a ${entry.family.type} and a ${family.type}`);
    }
    for (const sample of family.samples) {
      const labels = sample.labels ?? {};
      for (const name of Object.keys(labels)) {
        if (!LABEL_NAME.test(name) || name.startsWith('__')) {
          throw new Error(`invalid label name '${name}' on ${family.name}`);
        }
      }
      const key = labelKey(labels);
      // delete first: a repeated series takes the later value, at the later position
      entry.series.delete(key);
      entry.series.set(key, { labels, value: sample.value });
    }
  }
  const lines: string[] = [];
  for (const { family, series } of merged.values()) {
    if (series.size === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const s of series.values()) {
      lines.push(`${family.name}${labelText(s.labels ?? {})} ${formatSampleValue(s.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
