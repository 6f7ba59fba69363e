// The exposition text a Prometheus parses: HELP and TYPE once per family, label values escaped,
// special values spelled as Prometheus spells them, and never the same series twice.
import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  formatSampleValue,
  renderExposition,
} from '../../../src/use-cases/prometheus-text';

describe('Prometheus text exposition', () => {
  it('writes HELP and TYPE before the series of each family, one line per series', () => {
    const text = renderExposition([
      {
        name: 'vigia_services',
        help: 'Services vigia watches.',
        type: 'gauge',
        samples: [{ value: 3 }],
      },
      {
        name: 'vigia_service_metric',
        help: 'Latest value.',
        type: 'gauge',
        samples: [
          { labels: { service: 'web', metric: 'cpu' }, value: 71.5 },
          { labels: { service: 'web', metric: 'memory' }, value: 40 },
        ],
      },
    ]);

    expect(text).toBe(
      [
        '# HELP vigia_services Services vigia watches.',
        '# TYPE vigia_services gauge',
        'vigia_services 3',
        '# HELP vigia_service_metric Latest value.',
        '# TYPE vigia_service_metric gauge',
        'vigia_service_metric{service="web",metric="cpu"} 71.5',
        'vigia_service_metric{service="web",metric="memory"} 40',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, double quotes and line feeds in label values, and in HELP what HELP escapes', () => {
    expect(escapeLabelValue('a\\b"c"\nd')).toBe('a\\\\b\\"c\\"\\nd');
    const text = renderExposition([
      {
        name: 'x',
        help: 'two\nlines with a \\ and "quotes"',
        type: 'gauge',
        samples: [{ labels: { service: 'say "hi"\\\n' }, value: 1 }],
      },
    ]);

    expect(text).toContain('# HELP x two\\nlines with a \\\\ and "quotes"\n');
    expect(text).toContain('x{service="say \\"hi\\"\\\\\\n"} 1\n');
    expect(text.split('\n')).toHaveLength(4); // HELP, TYPE, one series, the final newline
  });

  it('spells NaN and infinities as Prometheus does', () => {
    expect([NaN, Infinity, -Infinity, 0.25, -3, 1e21].map(formatSampleValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0.25',
      '-3',
      '1e+21',
    ]);
  });

  it('never repeats a series: a repeated label set keeps its last value, families of one name merge', () => {
    const text = renderExposition([
      {
        name: 'vigia_service_tasks',
        help: 'Tasks.',
        type: 'gauge',
        samples: [
          { labels: { service: 'web', state: 'running' }, value: 2 },
          { labels: { state: 'running', service: 'web' }, value: 3 },
        ],
      },
      {
        name: 'vigia_service_tasks',
        help: 'Tasks.',
        type: 'gauge',
        samples: [{ labels: { service: 'api', state: 'running' }, value: 1 }],
      },
    ]);

    expect(text.match(/^# TYPE vigia_service_tasks/gm)).toHaveLength(1);
    expect(text.match(/service="web"/g)).toHaveLength(1);
    expect(text).toContain('vigia_service_tasks{state="running",service="web"} 3\n');
    expect(text).toContain('vigia_service_tasks{service="api",state="running"} 1\n');
  });

  it('leaves out families without series, and refuses names Prometheus would not parse', () => {
    expect(renderExposition([{ name: 'empty', help: 'none', type: 'gauge', samples: [] }])).toBe(
      '',
    );
    expect(() =>
      renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [{ value: 1 }] }]),
    ).toThrow("invalid metric name 'bad-name'");
    expect(() =>
      renderExposition([
        { name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'a-b': 'x' }, value: 1 }] },
      ]),
    ).toThrow("invalid label name 'a-b'");
    expect(() =>
      renderExposition([
        { name: 'ok', help: '', type: 'gauge', samples: [{ value: 1 }] },
        { name: 'ok', help: '', type: 'counter', samples: [{ value: 1 }] },
      ]),
    ).toThrow('both a gauge and a counter');
  });
});
