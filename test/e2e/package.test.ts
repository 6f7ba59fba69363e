// `serverless package` builds every function and a CloudFormation template that cfn-lint accepts,
// whose roles reach no further than their jobs (every `*` justified, ECS only on declared clusters)
// and whose topic is encrypted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/stack-definitions';
import { notificationKey } from '../../lib/store/keys';
import { notificationLogKey } from '../../src/use-cases/publish-notification';
import { aNotification } from '../support/builders';
import { isStarred, policyStatements, unjustifiedStar, type Template } from './template-security';

const out = mkdtempSync(path.join(os.tmpdir(), 'vigia-package-'));
const template = path.join(out, 'cloudformation-template-update-stack.json');

beforeAll(() => {
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    // A cluster registered at runtime, as an operator would name it at deploy time.
    ['package', '--stage', 'prod', '--package', out, '--param', 'extraClusters=vigia-batch'],
    {
      cwd: repoRoot,
      stdio: 'pipe',
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        VIGIA_BUILD_FOLDER: path.join('.local', `package-${process.pid}`),
      },
    },
  );
}, 240_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(path.join(repoRoot, '.local', `package-${process.pid}`), { recursive: true, force: true });
});

describe('serverless package', () => {
  it('builds one bundle per function with nodejs22.x and a least-privilege role each', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const functions = Object.values(cfn.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    const zips = readdirSync(out).filter((f) => f.endsWith('.zip'));

    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(zips.length).toBe(functions.length);
    for (const f of functions) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(JSON.stringify(f.Properties.Role)).not.toContain('IamRoleLambdaExecution');
    }
    const table = cfn.Resources.VigiaTable!.Properties as Record<string, unknown>;
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('passes cfn-lint (the framework’s own W3005 aside)', () => {
    const lint = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', template], {
      encoding: 'utf8',
    });
    if (lint.error)
      throw new Error(`cfn-lint is not installed: pip install cfn-lint (${lint.error.message})`);

    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('justifies every * action or resource with a # star: comment in resources/', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as Template;
    const starred = policyStatements(cfn).filter((s) => isStarred(s.statement));
    const problems = starred.map((s) => unjustifiedStar(path.join(repoRoot, 'resources'), s));

    expect(problems.filter((p) => p !== null)).toEqual([]);
    const passRole = policyStatements(cfn).filter((s) =>
      [s.statement.Action].flat().includes('iam:PassRole'),
    );
    expect(passRole.filter((s) => [s.statement.Resource].flat().includes('*'))).toEqual([]);
  });

  it('lets ECS actions touch only the declared clusters and the deploy parameter’s', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as Template;
    const declared = new Set(
      (
        JSON.parse(readFileSync(path.join(repoRoot, 'config/services.json'), 'utf8')) as {
          services: { ecs: { cluster: string } }[];
        }
      ).services.map((s) => s.ecs.cluster),
    );
    const allowed = [...declared, 'vigia-batch'];
    const ecs = policyStatements(cfn).filter((s) =>
      [s.statement.Action]
        .flat()
        .some((a) => a === 'ecs:UpdateService' || a === 'ecs:DescribeServices'),
    );

    expect(ecs.map((s) => s.role)).toEqual(
      expect.arrayContaining(['CollectRole', 'AutoscaleRole', 'ScaleRole']),
    );
    for (const s of ecs) {
      const clusters = [s.statement.Resource].flat().map((r) => {
        const arn = JSON.stringify(r);
        return /:service\/([^/"]+)\/\*"/.exec(arn)?.[1] ?? `not a cluster's services: ${arn}`;
      });
      expect(clusters.sort()).toEqual([...allowed].sort());
    }
    const api = cfn.Resources.ApiLambdaFunction!.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(api.Environment.Variables.VIGIA_EXTRA_CLUSTERS).toBe('vigia-batch');
  });

  it('encrypts the alerts topic and opens the API to no other origin by default', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as Template;
    expect(cfn.Resources.AlertsTopic!.Properties.KmsMasterKeyId).toBe('alias/aws/sns');
    const apis = Object.values(cfn.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Api');
    expect(apis.length).toBe(1);
    expect(apis[0]!.Properties.CorsConfiguration).toBeUndefined();
  });

  it('lets the slack function write the topic’s echo: the alert’s own log entry, no other', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as Template;
    type Conditioned = { Condition?: Record<string, Record<string, string[]>> };
    const slackUpdates = policyStatements(cfn).filter(
      (s) => s.role === 'SlackRole' && [s.statement.Action].flat().includes('dynamodb:UpdateItem'),
    );
    const mayUpdate = (pk: string) =>
      slackUpdates.some((s) => {
        const condition = (s.statement as Conditioned).Condition;
        if (!condition) return true;
        return Object.values(condition).some((c) =>
          (c['dynamodb:LeadingKeys'] ?? []).some((glob) =>
            new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(
              pk,
            ),
          ),
        );
      });
    const echoed = notificationKey(notificationLogKey(aNotification({ id: 'inc~web~1' }))).pk;

    expect(mayUpdate(echoed)).toBe(true);
    expect(mayUpdate('SVC#web')).toBe(false);
  });

  it('keeps the generic webhook URL out of the slack function’s environment (SSM instead)', () => {
    const cfn = JSON.parse(readFileSync(template, 'utf8')) as Template;
    const slack = cfn.Resources.SlackLambdaFunction!.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(slack.Environment.Variables).not.toHaveProperty('VIGIA_WEBHOOK_URL');
    expect(slack.Environment.Variables.VIGIA_WEBHOOK_SSM_PARAMETER).toBe('/vigia/prod/webhook-url');
  });
});
