// Issue #14 part 7: the switches' defaults live in one place (lib/config.ts switchDefaults);
// serverless.yml passes a switch only when the deployer sets it, and the README states the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnv, switchDefaults } from '../../../lib/config';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const names = Object.keys(switchDefaults) as (keyof typeof switchDefaults)[];

describe('the switch defaults', () => {
  it('are not repeated in serverless.yml: an unset switch reaches the function empty', () => {
    const yml = read('serverless.yml');
    for (const name of names) {
      const lines = yml.split('\n').filter((l) => l.trim().startsWith(`${name}:`));
      expect(lines.length, name).toBeGreaterThan(0);
      for (const line of lines) expect(line.trim()).toBe(`${name}: \${env:${name}, ''}`);
    }
  });

  it('are what an empty switch means, and production keeps the learned choice and the LLM off', () => {
    const empty = Object.fromEntries(names.map((n) => [n, '']));
    const c = parseEnv({ VIGIA_TABLE: 't', ...empty });
    expect(c.switches).toEqual({
      autoScaling: switchDefaults.AUTO_SCALING_ENABLED,
      autoRecovery: switchDefaults.AUTO_RECOVERY_ENABLED,
      anomalyDetection: switchDefaults.ANOMALY_DETECTION_ENABLED,
      aiDecisions: switchDefaults.AI_DECISIONS_ENABLED,
    });
    expect(c.llm.enabled).toBe(switchDefaults.LLM_DIAGNOSIS_ENABLED);
    expect(switchDefaults.AI_DECISIONS_ENABLED).toBe(false);
    expect(switchDefaults.LLM_DIAGNOSIS_ENABLED).toBe(false);
  });

  it('are the ones the README states', () => {
    const readme = read('README.md');
    for (const name of names) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      expect(row!.split('|')[2]!.trim(), name).toBe(`\`${String(switchDefaults[name])}\``);
    }
  });
});
