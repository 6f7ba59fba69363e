// Reading Prometheus' query_range answers: one series per metric, each value stamped with the
// minute it covers, and every kind of bad answer turned into an error that says what was wrong.
import { describe, expect, it } from 'vitest';
import { evaluationRange, parseRangeResponse } from '../../../lib/sources/prometheus-source';

const t0 = Date.UTC(2026, 11, 2, 10, 0) / 1000; // 10:00:00 in epoch seconds

const matrix = (series: { metric?: Record<string, string>; values: [number, string][] }[]) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: series.map((s) => ({ metric: s.metric ?? {}, values: s.values })),
    },
  });

describe('Prometheus query_range answers', () => {
  it('stamps each value with the minute before its evaluation time, as CloudWatch stamps a minute', () => {
    const parsed = parseRangeResponse(
      200,
      matrix([
        {
          values: [
            [t0 + 60, '12.5'],
            [t0 + 120, '14'],
          ],
        },
      ]),
    );

    expect(parsed).toEqual({
      points: [
        { timestamp: t0 * 1000, value: 12.5 },
        { timestamp: (t0 + 60) * 1000, value: 14 },
      ],
    });
  });

  it('reads no series as no data yet, and NaN or infinite values as gaps', () => {
    expect(parseRangeResponse(200, matrix([]))).toEqual({ points: [] });
    expect(
      parseRangeResponse(
        200,
        matrix([
          {
            values: [
              [t0 + 60, 'NaN'],
              [t0 + 120, '+Inf'],
              [t0 + 180, '3'],
            ],
          },
        ]),
      ),
    ).toEqual({ points: [{ timestamp: (t0 + 120) * 1000, value: 3 }] });
  });

  it('refuses a query that returns several series, saying how to aggregate it', () => {
    const parsed = parseRangeResponse(
      200,
      matrix([
        { metric: { pod: 'a' }, values: [[t0 + 60, '1']] },
        { metric: { pod: 'b' }, values: [[t0 + 60, '2']] },
      ]),
    );

    expect(parsed).toEqual({ error: expect.stringContaining('2 series, one expected') });
    expect((parsed as { error: string }).error).toContain('sum(');
  });

  it("passes on Prometheus' own error, e.g. a PromQL syntax error", () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
    });

    expect(parseRangeResponse(400, body)).toEqual({
      error: 'bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input',
    });
  });

  it('names the HTTP status and shows the start of a body that is not a Prometheus answer', () => {
    expect(parseRangeResponse(404, '<html><body>Not Found</body></html>')).toEqual({
      error: 'HTTP 404, not a Prometheus API answer: <html><body>Not Found</body></html>',
    });
    expect(parseRangeResponse(200, JSON.stringify({ hello: 'world' }))).toEqual({
      error: 'HTTP 200, not a Prometheus API answer: {"hello":"world"}',
    });
    expect(parseRangeResponse(502, '')).toEqual({
      error: 'HTTP 502, not a Prometheus API answer: (empty body)',
    });
  });

  it('refuses an instant vector where a range was asked for', () => {
    const body = JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: [] },
    });

    expect(parseRangeResponse(200, body)).toEqual({
      error: 'expected a range vector (matrix), got vector',
    });
  });
});

describe('which minutes a tick asks Prometheus for', () => {
  it('evaluates one minute after each whole minute in the window, up to the tick', () => {
    const range = evaluationRange(
      new Date((t0 + 1) * 1000), // the minute 10:00 was already seen
      new Date((t0 + 185) * 1000), // tick at 10:03:05
    );

    // minutes 10:01 and 10:02 are complete: evaluated at 10:02 and 10:03
    expect(range).toEqual({ start: (t0 + 120) * 1000, end: (t0 + 180) * 1000 });
  });

  it('asks for nothing when no whole minute is new', () => {
    expect(evaluationRange(new Date((t0 + 1) * 1000), new Date((t0 + 110) * 1000))).toBeNull();
  });
});
