// A real Prometheus server (Debian's package, which .ci/run installs) for one test file: its own
// config and storage in a temp dir, on 127.0.0.1 and a free port, stopped and removed afterwards.
// Never skipped: without the binary the test fails saying what is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  metrics_path?: string;
  static_configs: { targets: string[] }[];
  authorization?: { type?: string; credentials: string };
}

export interface PrometheusServer {
  url: string;
  /** An instant query through Prometheus' own HTTP API: each series' labels and value. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** Polls `query` until it returns a series, or fails naming the query and the scrape targets. */
  waitForSeries(
    promql: string,
    timeoutMs?: number,
  ): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

export function prometheusBinary(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of [...dirs, '/usr/bin']) {
    const candidate = path.join(dir, 'prometheus');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    'prometheus is missing: run scripts/install-prometheus.sh (apt-get install prometheus)',
  );
}

export async function startPrometheus(scrapeConfigs: ScrapeConfig[]): Promise<PrometheusServer> {
  const binary = prometheusBinary();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigia-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // JSON is YAML: no YAML writer needed.
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: scrapeConfigs,
    }),
  );
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));

  const stop = async () => {
    if (exited === undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5_000).then(() => child.kill('SIGKILL'))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`prometheus exited (code ${exited}) before it was ready:\n${log}`);
    }
    const ready = await fetch(`${url}/-/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready on ${url} within 30 s:\n${log}`);
    }
    await sleep(200);
  }

  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
    return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };

  const waitForSeries = async (promql: string, timeoutMs = 30_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const result = await query(promql);
      if (result.length > 0) return result;
      if (Date.now() > until) {
        const targets = await fetch(`${url}/api/v1/targets`).then((r) => r.text());
        throw new Error(`no series for ${promql} within ${timeoutMs} ms; targets: ${targets}`);
      }
      await sleep(250);
    }
  };

  return { url, query, waitForSeries, stop };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
