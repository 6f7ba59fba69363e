// Runs the real `serverless offline` as a child process against the local emulator.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { EMULATOR_REQUEST_TIMEOUT_MS } from '../../lib/aws/client-options';
import { killGroup } from './emulator';
import { localCredentials, localRegion } from './local-stack';
import { repoRoot } from './stack-definitions';

const resilience = path.join(repoRoot, 'scripts/lib/offline-resilience.cjs');

export interface OfflineOptions {
  endpoint: string;
  topicArn: string;
  /** The stream failure queue /health counts; none when absent. */
  failureQueueUrl?: string;
  httpPort: number;
  lambdaPort: number;
  logLevel?: string;
  env?: Record<string, string>;
  onOutput?: (line: string) => void;
}

export interface Offline {
  httpUrl: string;
  lambdaUrl: string;
  stop(): Promise<void>;
  output(): string;
}

export async function startOffline(o: OfflineOptions): Promise<Offline> {
  // Each run builds and checkpoints in its own folder (keyed by port), so runs never collide; a fresh
  // emulator has fresh streams, so an old checkpoint would point at nothing.
  const workFolder = `.local/offline-${o.httpPort}`;
  rmSync(path.join(repoRoot, workFolder), { recursive: true, force: true });
  const bin = path.join(repoRoot, 'node_modules/.bin/serverless');
  const child = spawn(bin, ['offline', 'start', '--stage', 'dev', '--region', localRegion], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      VIGIA_AWS_ENDPOINT: o.endpoint,
      // moto is one Python process: under load it can stall longer than AWS ever does.
      VIGIA_AWS_REQUEST_TIMEOUT_MS: String(EMULATOR_REQUEST_TIMEOUT_MS),
      VIGIA_TOPIC_ARN: o.topicArn,
      VIGIA_FAILURE_QUEUE_URL: o.failureQueueUrl ?? '',
      VIGIA_HTTP_PORT: String(o.httpPort),
      VIGIA_LAMBDA_PORT: String(o.lambdaPort),
      VIGIA_BUILD_FOLDER: `${workFolder}/esbuild`,
      VIGIA_STREAMS_CHECKPOINT: `${workFolder}/streams-checkpoint.json`,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_REGION: localRegion,
      POWERTOOLS_LOG_LEVEL: o.logLevel ?? 'WARN',
      SLS_TELEMETRY_DISABLED: '1',
      // An emulator outage of a few seconds must not end the stack (see offline-resilience.cjs).
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(resilience)}`.trim(),
      VIGIA_OFFLINE_RESILIENCE: '1',
      // The emulator evaluates no alarm, so no sentinel wakes a service: locally every service is
      // read every minute, as the demo's minute-by-minute story needs (README, read cadence).
      VIGIA_COLLECT_CALM_EVERY_MINUTES: '1',
      ...o.env,
    },
  });
  let log = '';
  const onData = (d: Buffer) => {
    const text = d.toString();
    log = (log + text).slice(-200_000);
    if (o.onOutput) for (const line of text.split('\n')) if (line.trim()) o.onOutput(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const httpUrl = `http://127.0.0.1:${o.httpPort}`;
  const deadline = Date.now() + 180_000;
  while (!/Server ready/.test(log)) {
    if (child.exitCode !== null)
      throw new Error(`serverless offline exited (${child.exitCode}):\n${log.slice(-3000)}`);
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`serverless offline was not ready within 180 s:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    httpUrl,
    lambdaUrl: `http://127.0.0.1:${o.lambdaPort}`,
    output: () => log,
    stop: async () => {
      killGroup(child);
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* already gone */
          }
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      rmSync(path.join(repoRoot, workFolder), { recursive: true, force: true });
    },
  };
}

/** Invokes a function through serverless-offline's Lambda endpoint, like the AWS Lambda Invoke API. */
export async function invokeFunction(lambdaUrl: string, functionName: string, event: unknown) {
  const res = await fetch(`${lambdaUrl}/2015-03-31/functions/${functionName}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const text = await res.text();
  if (!res.ok || res.headers.get('x-amz-function-error')) {
    throw new Error(`${functionName} failed (${res.status}): ${text.slice(0, 2000)}`);
  }
  return text ? (JSON.parse(text) as unknown) : null;
}
