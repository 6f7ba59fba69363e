// `serverless package` builds every function and a CloudFormation template that cfn-lint accepts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/stack-definitions';

const out = mkdtempSync(path.join(os.tmpdir(), 'vigia-package-'));
const template = path.join(out, 'cloudformation-template-update-stack.json');

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
});
