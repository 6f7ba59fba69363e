// Issue #14: the diagnosis reads each symptom's shape against its own baseline and noise (a climb,
// a blip, a step; up for this service, not over a fixed line). The series below are readings the
// incident benchmark's simulated service produced, as distances from usual in its noise.
import { describe, expect, it } from 'vitest';
import { diagnose, primaryDiagnosis } from '../../../src/decision';
import type { Sample } from '../../../src/model';
import { anEcsState } from '../../support/builders';
import {
  detectorAnomaly,
  diagnosisInput,
  history as historyOf,
  iso,
  noise,
} from '../../support/diagnosis-series';

/** The service's history on its own task definition, deployed at `deployedAt` (none by default). */
const history = (
  at: (minutesBack: number) => Sample['metrics'],
  deployedAt: string | null = null,
) =>
  historyOf(
    at,
    anEcsState({
      lastDeploymentAt: deployedAt,
      taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/shop-api:9',
    }),
  );
const input = diagnosisInput;

const calm = (k: number) => ({
  cpu: 68 + 3 * noise(k),
  requests: 200 + 8 * noise(k + 3),
  latency_p95: 240 + 30 * noise(k + 5),
  error_rate: 0.3,
});

describe('a memory leak minutes in, from the shape of memory', () => {
  // Seed 1's fourth leak: usual 59.1 %, σ 0.53; the last readings were, in σ, …
  const leak = [1.3, 1.0, 0.3, 2.8, 4.7];
  const memory = (k: number) =>
    59.1 + 0.53 * (k < leak.length ? leak[leak.length - 1 - k]! : noise(k));

  it('is named when memory climbed to unusual with no jump past its noise, requests calm', () => {
    const samples = history((k) => ({ ...calm(k), memory: memory(k) }));
    const found = diagnose(input(samples, [detectorAnomaly('memory', memory(0), 59.1, 0.53)]));
    expect(primaryDiagnosis(found)).toBe('memory_leak');
    expect(found[0]!.evidence[0]).toMatch(/^memory climbing: 61\.6, 4\.7σ above its usual 59\.1/);
  });

  it('is named from a trend beyond noise before the mean of the last readings stands 3 σ out', () => {
    // Seed 13's first leak: usual 55.2 %, σ 0.52; the last readings, in σ, held only 2.9 σ.
    const climb = [-0.6, -0.5, 0.9, 1.8, 0.4, 3.8];
    const memory13 = (k: number) =>
      55.2 + 0.52 * (k < climb.length ? climb[climb.length - 1 - k]! : noise(k));
    const samples = history((k) => ({ ...calm(k), memory: memory13(k) }));
    const found = diagnose(input(samples, [detectorAnomaly('memory', memory13(0), 55.2, 0.52)]));
    expect(primaryDiagnosis(found)).toBe('memory_leak');
  });

  it('is not named for the same readings while requests rose with it', () => {
    const samples = history((k) => ({
      ...calm(k),
      memory: memory(k),
      requests: 200 + 8 * noise(k) + (k < 6 ? 60 - 10 * k : 0),
    }));
    const found = diagnose(input(samples, [detectorAnomaly('memory', memory(0), 59.1, 0.53)]));
    expect(found.map((d) => d.name)).not.toContain('memory_leak');
  });

  it('is not named for a one-minute blip, even after a few noisy-high readings', () => {
    // Seed 12's third false alarm: a blip of +8 points (15.5 σ) after readings at 0.4, 1.0, 2.1 σ.
    const before = [15.5, 2.1, 1.0, 0.4, -0.3];
    const blip = (k: number) => 49.4 + 0.51 * (k < before.length ? before[k]! : noise(k));
    const samples = history((k) => ({ ...calm(k), memory: blip(k) }));
    const found = diagnose(input(samples, [detectorAnomaly('memory', blip(0), 49.4, 0.51)]));
    expect(found.map((d) => d.name)).not.toContain('memory_leak');
  });

  it('is not named minutes after a blip, once memory is back at its usual level', () => {
    const blip = (k: number) => 47.4 + 0.5 * (k === 2 ? 11.5 : k < 2 ? 0.8 : noise(k));
    const samples = history((k) => ({ ...calm(k), memory: blip(k) }));
    const blipAnomaly = { ...detectorAnomaly('memory', blip(2), 47.4, 0.5), at: iso(-2) };
    const found = diagnose(input(samples, [blipAnomaly]));
    expect(found.map((d) => d.name)).not.toContain('memory_leak');
  });
});

describe('memory judged unusual a quarter hour ago', () => {
  it('does not make a leak of memory a little above its recent level now', () => {
    // Seed 2's third false alarm: a blip 11 minutes before; now memory 2.9 σ over the last half
    // hour's, no memory anomaly this minute (a forecast's only).
    const drift = (k: number) =>
      45.8 + 0.44 * (k === 11 ? 25 : k < 6 ? 2.6 + 0.3 * noise(k) : noise(k));
    const samples = history((k) => ({ ...calm(k), memory: drift(k) }));
    const blip = { ...detectorAnomaly('memory', drift(11), 45.8, 0.44), at: iso(-11) };
    const found = diagnose(input(samples, [blip]));
    expect(found.map((d) => d.name)).not.toContain('memory_leak');
  });
});

describe("latency against the service's own usual CPU and requests", () => {
  it('a step in latency while CPU stays at its usual 68 % is a latency regression', () => {
    const samples = history((k) => ({
      ...calm(k),
      latency_p95: k === 0 ? 1880 : calm(k).latency_p95,
    }));
    const found = diagnose(input(samples, [detectorAnomaly('latency_p95', 1880, 240, 30)]));
    expect(primaryDiagnosis(found)).toBe('latency_regression');
    expect(found[0]!.evidence.join('; ')).toMatch(/cpu at its usual 6\d(\.\d)?%/);
  });

  it('over the line, with a requests anomaly of one noisy minute, it is not an overload', () => {
    const samples = history((k) => ({
      ...calm(k),
      latency_p95: k === 0 ? 2120 : calm(k).latency_p95,
    }));
    const noisyRequests = { ...detectorAnomaly('requests', 226, 200, 8), at: iso(-6) };
    const found = diagnose(
      input(samples, [noisyRequests, detectorAnomaly('latency_p95', 2120, 240, 30)]),
    );
    expect(primaryDiagnosis(found)).toBe('latency_regression');
  });
});

describe('a latency step below the line', () => {
  it('is not a regression when it is one slow minute that does not hold beyond noise', () => {
    // Seed 3's third slow ramp: p95 at 4.3 σ on the ramp's first minute, the minutes before usual.
    const samples = history((k) => ({
      ...calm(k),
      latency_p95: k === 0 ? 370 : 240 + 30 * noise(k + 5),
    }));
    const found = diagnose(input(samples, [detectorAnomaly('latency_p95', 370, 240, 30)]));
    expect(found.map((d) => d.name)).not.toContain('latency_regression');
  });
});

describe('a latency blip a minute ago', () => {
  it('is no latency regression once latency is back at its usual level', () => {
    const samples = history((k) => ({
      ...calm(k),
      latency_p95: k === 1 ? 1100 : k === 0 ? 270 : 240 + 30 * noise(k + 5),
    }));
    const blip = { ...detectorAnomaly('latency_p95', 1100, 240, 30), at: iso(-1) };
    const found = diagnose(input(samples, [blip, detectorAnomaly('memory', 50.1, 48.5, 0.48)]));
    expect(found.map((d) => d.name)).not.toContain('latency_regression');
  });
});

describe('an overload before CPU reaches its line', () => {
  it('requests and CPU both above their usual levels, rising, is an overload', () => {
    // A slow ramp: no requests anomaly yet, the anomaly is latency's; CPU 76 % < 80 %.
    const ramp = (k: number) => Math.max(0, 6 - k) / 6;
    const samples = history((k) => ({
      ...calm(k),
      requests: 200 + 8 * noise(k + 3) + 45 * ramp(k),
      cpu: 66 + 3 * noise(k) + 10 * ramp(k),
      latency_p95: 240 + 30 * noise(k + 5) + 150 * ramp(k),
    }));
    const found = diagnose(input(samples, [detectorAnomaly('latency_p95', 390, 240, 30)]));
    expect(primaryDiagnosis(found)).toBe('overload');
    expect(found[0]!.evidence.join('; ')).toMatch(
      /requests 2\d\d(\.\d)?, \d+(\.\d)?σ above its usual/,
    );
  });
});

describe('a bad deploy', () => {
  it('is blamed though an error-rate blip came 14 minutes before the release, long passed', () => {
    const release = iso(-2);
    const samples = history(
      (k) => ({ ...calm(k), error_rate: k === 14 ? 0.5 : k <= 1 ? 20.6 : 0.2 + 0.05 * noise(k) }),
      release,
    );
    const blip = { ...detectorAnomaly('error_rate', 0.5, 0.2, 0.06), at: iso(-14) };
    const errors = detectorAnomaly('error_rate', 20.6, 0.2, 0.41);
    const found = diagnose({ ...input(samples, [blip, errors]), release: null });
    const released = diagnose({
      ...input(samples, [blip, errors]),
      release: { taskDefinition: 'shop-api:9', at: release },
    });
    expect(primaryDiagnosis(found)).toBe('error_burst');
    expect(primaryDiagnosis(released)).toBe('bad_deploy');
  });
});

describe('a failing dependency', () => {
  it('whose probes failed past their threshold while errors went on outranks a busy minute', () => {
    // Seed 1's third failing dependency, 42 minutes in: CPU 84 % for a minute, requests up for three.
    const samples = history((k) => ({
      ...calm(k),
      cpu: k === 0 ? 84 : calm(k).cpu,
      requests: k <= 2 ? 226 : calm(k).requests,
      latency_p95: 1078,
      error_rate: 26.4,
      probe_failures: 43 - k,
    }));
    expect(primaryDiagnosis(diagnose(input(samples, [])))).toBe('failing_dependency');
  });
});
