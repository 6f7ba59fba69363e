// The packaged stack watches vigia itself (issue 16): a dashboard and alarms on consumer errors,
// stream lag and the collector's minute, each telling the alerts topic; cfn-lint accepts it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/stack-definitions';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const out = mkdtempSync(path.join(os.tmpdir(), 'vigia-observability-'));
const templatePath = path.join(out, 'cloudformation-template-update-stack.json');
let resources: Record<string, Resource>;

beforeAll(() => {
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    ['package', '--stage', 'prod', '--package', out],
    {
      cwd: repoRoot,
      stdio: 'pipe',
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        VIGIA_BUILD_FOLDER: path.join('.local', `observability-${process.pid}`),
      },
    },
  );
  resources = JSON.parse(readFileSync(templatePath, 'utf8')).Resources;
}, 240_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(path.join(repoRoot, '.local', `observability-${process.pid}`), {
    recursive: true,
    force: true,
  });
});

const alarms = () =>
  Object.fromEntries(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => [r.Properties.AlarmName as string, r.Properties]),
  );

describe('vigia’s own alarms and dashboard', () => {
  it('alarms on the failure queue, consumer errors, stream lag and collect duration, to the topic', () => {
    const byName = alarms();

    expect(Object.keys(byName).sort()).toEqual(
      expect.arrayContaining([
        'vigia-prod-collect-duration',
        'vigia-prod-consumer-errors',
        'vigia-prod-stream-failures',
        'vigia-prod-stream-iterator-age',
      ]),
    );
    for (const alarm of Object.values(byName)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: 'OpsAlarmTopic' }]);
      expect(alarm.OKActions).toEqual([{ Ref: 'OpsAlarmTopic' }]);
    }
    expect(byName['vigia-prod-collect-duration']).toMatchObject({
      MetricName: 'Duration',
      Dimensions: [{ Name: 'FunctionName', Value: 'vigia-prod-collect' }],
      Threshold: 45000,
    });
    const lag = byName['vigia-prod-stream-iterator-age']!;
    expect(lag.Threshold).toBe(60000);
    expect(
      lag.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
        (m: { MetricStat: { Metric: { Dimensions: { Value: string }[] } } }) =>
          m.MetricStat.Metric.Dimensions[0]!.Value,
      ),
    ).toEqual([
      'vigia-prod-decide',
      'vigia-prod-autoscale',
      'vigia-prod-watch',
      'vigia-prod-scale',
      'vigia-prod-notify',
    ]);
    expect(byName['vigia-prod-consumer-errors']!.AlarmDescription).toMatch(/^severity: warning/);
  });

  it('counts every ERROR line of the consumers’ own log groups', () => {
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    const groups = filters.map((f) => f.Properties.LogGroupName.Ref as string).sort();

    expect(groups).toEqual([
      'AutoscaleLogGroup',
      'DecideLogGroup',
      'NotifyLogGroup',
      'ScaleLogGroup',
      'SlackLogGroup',
    ]);
    for (const g of groups) expect(resources[g]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('draws a dashboard of every function of the stack', () => {
    const dashboard = Object.values(resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    )!;
    const body = dashboard.Properties.DashboardBody['Fn::Sub'] as string;
    const functions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.FunctionName as string);

    expect(() => JSON.parse(body)).not.toThrow();
    for (const name of functions) expect(body).toContain(`"${name}"`);
    expect(body).toContain('vigia-prod-stream-failures');
  });

  it('passes cfn-lint (the framework’s own W3005 aside)', () => {
    const lint = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', templatePath], {
      encoding: 'utf8',
    });
    if (lint.error) throw new Error(`cfn-lint is not installed (${lint.error.message})`);

    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
