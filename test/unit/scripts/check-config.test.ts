// The deploy gate for config/services.json: the check names the bad field, and the serverless
// plugin listed first in serverless.yml fails the command with it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servicesFileProblem } from '../../../scripts/check-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const service = { id: 'web', name: 'Web', ecs: { cluster: 'prod', service: 'web' } };

/** A service directory holding config/services.json with this content. */
function serviceDir(content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigia-check-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'config'));
  writeFileSync(path.join(dir, 'config', 'services.json'), content);
  return dir;
}
const fileIn = (dir: string) => path.join(dir, 'config', 'services.json');
const json = (services: unknown[]) => JSON.stringify({ services });

describe('the services file check', () => {
  it('passes the file shipped in the repository', () => {
    expect(servicesFileProblem()).toBeNull();
  });

  it('names every field that breaks the schema', () => {
    const minAboveMax = fileIn(serviceDir(json([{ ...service, minTasks: 5, maxTasks: 2 }])));
    const deepPolicy = fileIn(
      serviceDir(
        json([
          {
            ...service,
            policies: [
              { name: 'p', when: `${'('.repeat(40)}cpu > 1${')'.repeat(40)}`, actions: ['notify'] },
            ],
          },
        ]),
      ),
    );
    const duplicate = fileIn(serviceDir(json([service, service])));

    expect(servicesFileProblem(minAboveMax)).toMatch(
      /services\.json is invalid: services\.0\.minTasks: minTasks must not exceed maxTasks/,
    );
    expect(servicesFileProblem(deepPolicy)).toMatch(
      /services\.0\.policies\.0\.when: at \d+: nested deeper than 32 levels/,
    );
    expect(servicesFileProblem(duplicate)).toMatch(/service ids must be unique/);
    expect(servicesFileProblem(fileIn(serviceDir('{"services": [')))).toMatch(/is not valid JSON/);
  });
});

describe('the serverless plugin', () => {
  const Plugin = createRequire(import.meta.url)('../../../scripts/check-config-plugin.cjs');
  class ServerlessError extends Error {}
  const pluginFor = (dir: string) =>
    new Plugin({ serviceDir: dir, config: {}, classes: { Error: ServerlessError } }) as {
      hooks: Record<string, () => void>;
    };

  it('checks before package, deploy and offline', () => {
    expect(Object.keys(pluginFor('.').hooks)).toEqual(
      expect.arrayContaining([
        'before:package:initialize',
        'before:offline:start',
        'before:offline:start:init',
      ]),
    );
    const yml = readFileSync('serverless.yml', 'utf8');
    const plugins = /plugins:\n((?:\s+(?:-.*|#.*)\n)+)/.exec(yml)![1]!;
    expect(plugins.match(/- (.+)/g)).toEqual([
      '- ./scripts/check-config-plugin.cjs',
      '- ./scripts/offline-stream-failures-plugin.cjs',
      '- serverless-esbuild',
      '- serverless-offline-dynamodb-streams',
      '- serverless-offline',
    ]);
  });

  it('fails the command with the field that is wrong, and lets a valid file through', () => {
    const broken = pluginFor(serviceDir(json([{ ...service, minTasks: 5, maxTasks: 2 }])));
    const valid = pluginFor(serviceDir(json([service])));

    expect(() => broken.hooks['before:package:initialize']!()).toThrow(ServerlessError);
    expect(() => broken.hooks['before:package:initialize']!()).toThrow(
      /Invalid services file: .*services\.json is invalid: services\.0\.minTasks: minTasks must not exceed maxTasks/,
    );
    expect(() => valid.hooks['before:offline:start:init']!()).not.toThrow();
  }, 30_000);

  it('refuses to package or deploy a Slack webhook URL from the shell, pointing to SSM', () => {
    const plugin = pluginFor(serviceDir(json([service])));
    const before = process.env.SLACK_WEBHOOK_URL;
    process.env.SLACK_WEBHOOK_URL = 'https://hooks.slack.com/services/T000/B000/secret-token';
    try {
      expect(() => plugin.hooks['before:package:initialize']!()).toThrow(
        /SLACK_WEBHOOK_URL is set: it is for local runs only.*aws ssm put-parameter --name \/vigia\/dev\/slack-webhook-url/,
      );
      expect(() => plugin.hooks['before:deploy:function:packageFunction']!()).toThrow(
        /SLACK_WEBHOOK_URL is set/,
      );
      // Local runs keep it: serverless offline hands it to the slack function.
      expect(() => plugin.hooks['before:offline:start:init']!()).not.toThrow();
    } finally {
      if (before === undefined) delete process.env.SLACK_WEBHOOK_URL;
      else process.env.SLACK_WEBHOOK_URL = before;
    }
  }, 30_000);
});
