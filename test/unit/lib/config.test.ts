import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../lib/config';

describe('environment configuration', () => {
  it('reads the global switches with defaults that work', () => {
    const c = parseEnv({ VIGIA_TABLE: 'vigia-dev', AUTO_SCALING_ENABLED: 'false' });

    expect(c.switches).toEqual({
      autoScaling: false,
      autoRecovery: true,
      anomalyDetection: true,
      aiDecisions: false,
    });
    expect(c.endpoint).toBeUndefined();
  });

  it('takes every client endpoint from one setting, and treats an empty one as AWS itself', () => {
    expect(
      parseEnv({ VIGIA_TABLE: 't', VIGIA_AWS_ENDPOINT: 'http://127.0.0.1:5005' }).endpoint,
    ).toBe('http://127.0.0.1:5005');
    expect(parseEnv({ VIGIA_TABLE: 't', VIGIA_AWS_ENDPOINT: '' }).endpoint).toBeUndefined();
  });

  it('names the variable that is missing or malformed', () => {
    expect(() => parseEnv({})).toThrow(/VIGIA_TABLE/);
    expect(() => parseEnv({ VIGIA_TABLE: 't', VIGIA_AWS_ENDPOINT: 'not a url' })).toThrow(
      /VIGIA_AWS_ENDPOINT/,
    );
    expect(() => parseEnv({ VIGIA_TABLE: 't', AUTO_SCALING_ENABLED: 'yes' })).toThrow(
      /AUTO_SCALING_ENABLED/,
    );
  });
});
