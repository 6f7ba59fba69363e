// `npm run demo`: the whole loop on a laptop. Starts the local AWS emulator and serverless offline,
// feeds the demo fleet realistic metrics, injects a load spike on one service, and narrates what
// vigia sees and does. Ctrl-C stops everything it started.
import { declaredServicesForScripts } from './lib/services';
import { DemoMetricsFeeder } from './lib/demo-fleet';
import { resetEmulator, startEmulator, type Emulator } from './lib/emulator';
import { FleetWatch } from './lib/fleet-watch';
import { createDemoFleet, createLocalStack } from './lib/local-stack';
import { startOffline, type Offline } from './lib/offline';
import { flushAlerts, newScenario, seedHistory, simulateMinute } from './lib/demo-scenario';
import { loadStackDefinitions } from './lib/stack-definitions';

const endpoint = process.env.VIGIA_AWS_ENDPOINT || 'http://127.0.0.1:5005';
const httpPort = Number(process.env.VIGIA_HTTP_PORT ?? 3000);
const lambdaPort = Number(process.env.VIGIA_LAMBDA_PORT ?? 3002);
const secondsPerMinute = Number(process.env.DEMO_SECONDS_PER_MINUTE ?? 3);

const c = {
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  off: '\x1b[0m',
};
const say = (line: string) => console.log(line);

let emulator: Emulator | undefined;
let offline: Offline | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say(`${c.dim}stopping…${c.off}`);
  await offline?.stop();
  if (emulator?.startedHere) await emulator.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  const services = declaredServicesForScripts();
  say(
    `${c.bold}vigia demo${c.off} — ${services.length} services: ${services.map((s) => s.id).join(', ')}`,
  );
  emulator = await startEmulator(endpoint);
  say(
    `${c.dim}local AWS (moto) ${emulator.startedHere ? 'started' : 'reused'} at ${endpoint}${c.off}`,
  );
  if (emulator.startedHere) await resetEmulator(endpoint);
  const defs = loadStackDefinitions('dev');
  const stack = await createLocalStack(endpoint, defs);
  await createDemoFleet(endpoint, services);
  const watch = new FleetWatch(endpoint, stack.tableName, stack.inboxQueueUrl);
  const feeder = new DemoMetricsFeeder(endpoint, services);
  const scenario = newScenario(new Date());
  await seedHistory(feeder, watch, services, scenario);
  say(
    `${c.dim}table ${stack.tableName}, topic ${stack.topicArn}, 3 h of history fed to CloudWatch${c.off}`,
  );

  say(`${c.dim}starting serverless offline (bundling functions)…${c.off}`);
  offline = await startOffline({
    endpoint,
    topicArn: stack.topicArn,
    failureQueueUrl: stack.failureQueueUrl,
    httpPort,
    lambdaPort,
  });
  say(
    `serverless offline ready: ${c.cyan}curl ${offline.httpUrl}/status${c.off}  ·  ${c.cyan}curl ${offline.httpUrl}/health${c.off}`,
  );

  const target = services[0]!;
  const spikeAt = scenario.startMinute + 5;
  feeder.spikes.push({
    serviceId: target.id,
    fromMinute: spikeAt,
    toMinute: spikeAt + 12,
    factor: 2.6,
  });
  say(
    `one simulated minute every ${secondsPerMinute} s; a load spike hits ${c.bold}${target.id}${c.off} at minute 5\n`,
  );

  const seen = new Set<string>();
  let counts = await watch.desiredCounts(services);
  for (let i = 0; !stopping; i++) {
    const minute = scenario.startMinute + i;
    const clock = new Date(minute * 60_000).toISOString().slice(11, 16);
    await simulateMinute(
      minute,
      feeder,
      watch,
      services,
      offline.lambdaUrl,
      defs.functionNames.collect!,
    );
    if (i === 0)
      say(`${c.dim}[${clock}] collect warmed every model from history; watching…${c.off}`);
    // Stream consumers run within a second or so; narrate what they did.
    await new Promise((r) => setTimeout(r, secondsPerMinute * 1000));
    // Alerts wait (group wait, in wall-clock time) to gather what belongs together; the timers that
    // send them run every minute on AWS; here they run every simulated minute.
    await flushAlerts(offline.lambdaUrl, defs.functionNames['alert-timers']!);
    for (const a of (await watch.anomalies()).sort((x, y) => x.at.localeCompare(y.at))) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      const colour = a.severity === 'critical' ? c.red : c.yellow;
      say(
        `${colour}[${clock}] ANOMALY ${a.severity.padEnd(8)} ${a.serviceId}: ${a.explanation}${c.off}`,
      );
    }
    for (const d of await watch.decisions()) {
      const key = `${d.id}:${d.status}`;
      if (seen.has(key)) continue;
      seen.add(key);
      say(
        `${c.cyan}[${clock}] DECISION ${d.serviceId} (${decidedBy(d.requestedBy)}): ${d.action} ${d.fromCount ?? ''}→${d.toCount ?? ''} — ${d.status}${d.result ? ` (${d.result})` : ''}${c.off}`,
      );
    }
    const now = await watch.desiredCounts(services);
    for (const s of services) {
      if (now.get(s.id) !== counts.get(s.id))
        say(
          `${c.green}[${clock}] ECS ${s.id}: desiredCount ${counts.get(s.id)} → ${now.get(s.id)}${c.off}`,
        );
    }
    counts = now;
    for (const m of await watch.receive()) {
      say(
        `${c.bold}[${clock}] SNS → inbox queue: ${m.subject}${c.off} ${c.dim}(severity=${m.attributes.severity}, service=${m.attributes.service}, kind=${m.attributes.kind})${c.off}`,
      );
    }
  }
}

main().catch(async (err: Error) => {
  console.error(`${c.red}demo failed: ${err.message}${c.off}`);
  await shutdown(1);
});

/** Which part of vigia (or which person) asked, in a word. */
function decidedBy(requestedBy: string): string {
  if (requestedBy === 'vigia:autoscale') return 'target scaling';
  if (requestedBy === 'vigia:decide') return 'anomaly';
  if (requestedBy === 'vigia:verify') return 'verification';
  return requestedBy;
}
