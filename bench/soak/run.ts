// `npm run bench:soak -- [--hours 24] [--services 50] [--seed 1] [--json] [--dump FILE] [--minutes-per-hour 1]
//   [--fault-rate 0.3] [--outage-minutes 10] [--outage-hour hours/2] [--shard-size 10]`: simulated hours of a fleet on the
// local stack through a fault-injecting proxy (bench/soak/fault-proxy.ts), every stream batch
// delivered three times to the real function handlers, an emulator outage half-way, then the harm
// counts (BENCHMARKS.md, "Soak"). Simulated time: the functions' own clock object (lib/clock.ts) is
// pointed at it. As in production, a minute's scheduled functions run side by side, the collect
// dispatcher hands its shards to collect-shard through Lambda's Invoke API (bench/soak/
// lambda-endpoint.ts), and each stream consumer (decide, autoscale, watch, scale, notify) is its
// own mapping running beside the others.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startMotoProcess } from '../../scripts/lib/emulator';
import { join } from 'node:path';
import { createDemoFleet, createLocalStack, localCredentials } from '../../scripts/lib/local-stack';
import { declaredServicesForScripts } from '../../scripts/lib/services';
import { loadStackDefinitions } from '../../scripts/lib/stack-definitions';
import { freePort } from '../../test/support/free-port';
import type { Anomaly, Decision } from '../../src/model';
import { STALE_CLAIM_MS } from '../../src/use-cases/execute-decision';
import { ECHO_GRACE_MS } from '../../src/use-cases/republish-unconfirmed';
import { alertLogEntries, countByState, judge, readKind } from './checks';
import { replayFailureQueues } from './replay';
import { FaultProxy } from './fault-proxy';
import { LambdaEndpoint, type AsyncHandler } from './lambda-endpoint';
import {
  copiesAtReceivers,
  duplicatesAtReceivers,
  Receivers,
  type SnsSubscriber,
} from './receivers';
import { seededRandom } from './random';
import { installAttemptTracing, traced, workReport } from './trace';
import { lambdaContext, StreamDelivery, type StreamHandler } from './stream-delivery';
import { ApiClient, soakService, streamArnOf, streamFilters, streamsClient, World } from './world';

const args = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}
const hours = flag('hours', 24);
const serviceCount = Math.max(3, flag('services', 50));
const seed = flag('seed', 1);
const minutesPerHour = Math.max(1, flag('minutes-per-hour', 1));
const faultRate = flag('fault-rate', 0.3);
const outageMinutes = flag('outage-minutes', 10);
/** Services per collect-shard invocation: 50 services are five shards. */
const shardSize = Math.max(1, flag('shard-size', 10));
/**
 * The table stream's shards, as on AWS (moto keeps one): a new on-demand table has four partitions
 * and its stream a shard per partition (bench/soak/stream-delivery.ts, `shardOf`).
 */
const streamShards = Math.max(1, flag('stream-shards', 4));
const SHARD_FUNCTION = 'vigia-soak-collect-shard';
const asJson = args.includes('--json');
/** `--dump FILE`: every decision and anomaly read for the checks, to trace a harm afterwards. */
const dumpFile = args.includes('--dump') ? args[args.indexOf('--dump') + 1] : undefined;
/**
 * The clients' per-attempt timeout (production's default is 4 s); a fault that delays past it holds
 * the call 0.5 s longer, and the caller waits exactly this long for an answer it never gets. Since
 * session 9 the soak's default is 2 s (it was 5 s when stock moto answered a fleet query in over
 * 2 s): on the soak's own moto a call takes tens of milliseconds, and the "delayed past the timeout"
 * fault was ~70% of a stream consumer's wall time. The fault is the same (no answer; applied or not),
 * only shorter; the proxy counts answers moto itself gave slower than this (`slowAnswers`).
 */
const CLIENT_TIMEOUT_MS = Math.max(500, flag('client-timeout-ms', 2_000));
/** Tries of one registration during setup before the run gives up. */
const SETUP_TRIES = 40;
/** The operator's replays of the failure queue at the end, a minute apart, until it is empty. */
const REPLAY_ROUNDS = 5;
let replayRounds = 0;
/** Stop starting new simulated hours after this much wall time (0: none); the end phase still runs. */
const wallBudgetMinutes = flag('wall-budget-minutes', 0);
/** Simulated start: fixed, so one seed replays the same run. */
const START_MINUTE = Math.floor(Date.parse('2026-11-30T00:00:00.000Z') / 60_000);
const log = (line: string) => (asJson ? undefined : console.error(line));

/**
 * The soak's moto (bench/soak/moto-soak.py): moto with its stream repair, bench:collect's
 * GetMetricData index, and its costs that grow with the table cut, answers unchanged (checked by
 * check-moto-soak.py); stopped with its process group.
 */
async function startMoto(endpoint: string) {
  const started = await startMotoProcess(endpoint, 'bench/soak/moto-soak.py', 'python3', [
    join(import.meta.dirname, 'moto-soak.py'),
  ]);
  return { endpoint, stop: started.stop };
}

async function main() {
  const wallStart = Date.now();
  // Every function, the proxy and the receivers share this one event loop: a long synchronous
  // stretch in one (a detector warming up) delays the others' connections past their timeouts.
  installAttemptTracing();
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const random = seededRandom(seed);
  const moto = await startMoto(`http://127.0.0.1:${await freePort()}`);
  const processErrors: string[] = [];
  process.on('unhandledRejection', (e) => processErrors.push(String(e)));
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    });
    const defs = loadStackDefinitions('dev');
    const filters = streamFilters('dev');
    const stack = await createLocalStack(moto.endpoint, defs);
    const declared = declaredServicesForScripts();
    const extra = Array.from({ length: serviceCount - declared.length }, (_, i) =>
      soakService(i + 1, random.next() < 0.1),
    );
    await createDemoFleet(moto.endpoint, [...declared, ...extra]);
    // The alerts topic's subscribers: the slack function (posting to local Slack and webhook
    // receivers) and the critical-only email filter, fed with every Publish moto accepted.
    const subscribers: { receivers?: Receivers } = {};
    const proxy = new FaultProxy({
      target: moto.endpoint,
      random,
      faultRate: 0,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      onPublish: (p, messageId) => subscribers.receivers?.published(p, messageId),
    });
    const proxyUrl = await proxy.start();
    Object.assign(process.env, {
      VIGIA_TABLE: stack.tableName,
      VIGIA_AWS_ENDPOINT: proxyUrl,
      VIGIA_TOPIC_ARN: stack.topicArn,
      VIGIA_FAILURE_QUEUE_URL: stack.failureQueueUrl,
      VIGIA_AWS_REQUEST_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: process.env.SOAK_LOG_LEVEL ?? 'CRITICAL',
      // The functions' EMF lines would bury the figures on stdout.
      POWERTOOLS_METRICS_DISABLED: 'true',
      VIGIA_COLLECT_SHARD_SIZE: String(shardSize),
      VIGIA_COLLECT_SHARD_FUNCTION: SHARD_FUNCTION,
    });
    // Setup runs two hours before the first tick: room for the clock to move on while it waits
    // (each retry of a registration moves it 31 or 61 s).
    let simMs = (START_MINUTE - 120) * 60_000;
    const { systemClock } = await import('../../lib/clock');
    Object.assign(systemClock, { now: () => new Date(simMs) });
    const fn = {
      collect: (await import('../../functions/collect')).handler,
      collectShard: (await import('../../functions/collect-shard')).handler,
      slack: (await import('../../functions/slack')).handler,
      watch: (await import('../../functions/watch')).handler,
      decide: (await import('../../functions/decide')).handler,
      autoscale: (await import('../../functions/autoscale')).handler,
      scale: (await import('../../functions/scale')).handler,
      sweep: (await import('../../functions/scale')).sweep,
      verify: (await import('../../functions/verify')).handler,
      notify: (await import('../../functions/notify')).handler,
      alertTimers: (await import('../../functions/alert-timers')).handler,
      api: (await import('../../functions/api')).handler,
    };
    const consumers = (['decide', 'autoscale', 'watch', 'scale', 'notify'] as const).map(
      (name) => ({
        name,
        patterns: filters.get(name) ?? [],
        handler: fn[name] as unknown as StreamHandler,
      }),
    );
    const delivery = new StreamDelivery(
      streamsClient(moto.endpoint),
      await streamArnOf(moto.endpoint, stack.tableName),
      consumers,
      streamShards,
    );
    const collected = { samples: 0, anomalies: 0, serviceFailures: 0, errors: [] as string[] };
    const countCollected = (r: {
      samples: number;
      anomalies: string[];
      failures: { error: string }[];
    }) => {
      collected.samples += r.samples;
      collected.anomalies += r.anomalies.length;
      collected.serviceFailures += r.failures.length;
      if (collected.errors.length < 5) collected.errors.push(...r.failures.map((f) => f.error));
    };
    // collect-shard behind Lambda's Invoke API: the dispatcher's real invoker reaches it.
    const lambda = new LambdaEndpoint(
      new Map<string, AsyncHandler>([
        [
          SHARD_FUNCTION,
          async (event, context) => {
            const r = (await traced('collect-shard', () =>
              fn.collectShard(event as never, context),
            )) as Parameters<typeof countCollected>[0];
            countCollected(r);
            return r;
          },
        ],
      ]),
      () => lambdaContext('collect-shard'),
    );
    process.env.VIGIA_LAMBDA_ENDPOINT = await lambda.start();
    const receivers = new Receivers(
      fn.slack as unknown as SnsSubscriber,
      () => lambdaContext('slack'),
      stack.topicArn,
      () => new Date(simMs),
    );
    subscribers.receivers = receivers;
    const urls = await receivers.start();
    process.env.SLACK_WEBHOOK_URL = urls.slackUrl;
    process.env.VIGIA_WEBHOOK_URL = urls.webhookUrl;
    const api = await ApiClient.withNewKey(
      fn.api as never,
      moto.endpoint,
      stack.tableName,
      new Date(simMs),
    );
    for (const s of extra) {
      // Setup is not measured, but runs through the same loaded emulator: a 5xx (a client timeout,
      // the breaker's pause) or a 429 (the key's rate limit) is tried again after the pause it asks
      // for, on the simulated clock the breakers and the limiter read. Registration is idempotent:
      // a 409 after a failed try means that try stored it and its answer was lost.
      for (let tries = 1; ; tries++) {
        const res = await api.call('POST', '/services', s);
        if (res.status === 201 || res.status === 200 || (res.status === 409 && tries > 1)) break;
        if ((res.status >= 500 || res.status === 429) && tries < SETUP_TRIES) {
          simMs += res.status === 429 ? 61_000 : 31_000;
          continue;
        }
        throw new Error(
          `registering ${s.id} (try ${tries}): ${res.status} ${JSON.stringify(res.json)}`,
        );
      }
    }
    log(`registered ${extra.length} services: ${Math.round((Date.now() - wallStart) / 1000)} s`);
    const world = new World(moto.endpoint, [...declared, ...extra], random);
    await world.feeder.backfill(START_MINUTE - 180, START_MINUTE, await world.desiredCounts());
    log(
      `setup ${Math.round((Date.now() - wallStart) / 1000)} s; ${serviceCount} services, seed ${seed}`,
    );

    const scheduledFailures = new Map<string, number>();
    const apiStatuses = new Map<number, number>();
    const stepMs = new Map<string, number>();
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      try {
        return await traced(name, run);
      } finally {
        stepMs.set(name, (stepMs.get(name) ?? 0) + Date.now() - t);
      }
    };
    const scheduledErrors: string[] = [];
    const scheduled = async (name: string, run: () => Promise<unknown>) => {
      await timed(name, run).catch((err: Error) => {
        scheduledFailures.set(name, (scheduledFailures.get(name) ?? 0) + 1);
        if (scheduledErrors.length < 8)
          scheduledErrors.push(`${name}: ${err.message.slice(0, 300)}`);
      });
    };
    const pumpAll = () => timed('stream', () => delivery.drain());
    // The minute's other schedules: separate functions, started by EventBridge at the same time.
    const schedules = () =>
      Promise.all([
        scheduled('sweep', () => fn.sweep({}, lambdaContext('sweep'))),
        scheduled('verify', () => fn.verify({}, lambdaContext('verify'))),
        scheduled('alert-timers', () => fn.alertTimers({}, lambdaContext('alert-timers'))),
      ]);
    const apiCall = async (
      method: string,
      path: string,
      body?: unknown,
      h?: Record<string, string>,
    ) => {
      const res = await api.call(method, path, body, h);
      apiStatuses.set(res.status, (apiStatuses.get(res.status) ?? 0) + 1);
      if (res.status === 422 || res.status >= 500)
        log(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
      return res;
    };
    const operator = async (hour: number) => {
      const s = random.pick(world.services);
      const key = `soak-${hour}-${s.id}`;
      const body = { type: 'scale', desiredCount: random.int(s.minTasks || 1, s.maxTasks + 1) };
      // A client retry with the same Idempotency-Key must act once.
      for (let i = 0; i < 2; i++) {
        await apiCall('POST', `/services/${s.id}/actions`, body, { 'idempotency-key': key });
      }
      if (random.next() < 0.3) {
        await apiCall('POST', `/services/${random.pick(world.services).id}/actions`, {
          type: 'restart',
        });
      }
      await reviewProposals(random.next() < 0.7);
    };
    const reviewProposals = async (approve: boolean) => {
      const res = await apiCall('GET', '/decisions?status=proposed&limit=100');
      const items = (res.json?.items ?? []) as Decision[];
      for (const d of items) {
        await apiCall(
          'POST',
          `/decisions/${encodeURIComponent(d.id)}/${approve ? 'approve' : 'reject'}`,
          {},
        );
      }
    };
    // Per piece of work: wall time, SDK attempts (and client timeouts), and at the proxy moto's
    // time, the injected delay and the faults, with its three costliest calls.
    const timeReport = () => {
      const work = workReport();
      const proxySide = new Map<
        string,
        { calls: number; motoS: number; injectedS: number; faults: Record<string, number> }
      >();
      const ops = new Map<string, [string, number][]>();
      for (const [key, v] of proxy.byWork) {
        const [name = '', op = ''] = key.split(' ');
        const p = proxySide.get(name) ?? { calls: 0, motoS: 0, injectedS: 0, faults: {} };
        p.calls += v.calls;
        p.motoS += v.motoMs / 1000;
        p.injectedS += v.injectedMs / 1000;
        for (const [f, n] of Object.entries(v.faults)) p.faults[f] = (p.faults[f] ?? 0) + n;
        proxySide.set(name, p);
        ops.set(name, [...(ops.get(name) ?? []), [op, v.calls]]);
      }
      return Object.fromEntries(
        Object.entries(work).map(([name, w]) => {
          const p = proxySide.get(name);
          return [
            name,
            {
              ...w,
              ...(p
                ? {
                    calls: p.calls,
                    motoS: Math.round(p.motoS),
                    injectedS: Math.round(p.injectedS),
                    faults: p.faults,
                    top: (ops.get(name) ?? [])
                      .sort((a, b) => b[1] - a[1])
                      .slice(0, 3)
                      .map(([op, n]) => `${op} ${n}`),
                  }
                : {}),
            },
          ];
        }),
      );
    };
    // The longest event-loop stall of each 30 s (every function shares this process): when it was.
    const stalls: { atS: number; ms: number }[] = [];
    const window = monitorEventLoopDelay({ resolution: 20 });
    window.enable();
    // Every 30 s of wall time (not with --json): what the run is waiting on.
    const progress = setInterval(() => {
      const top = (m: Map<string, number>, n: number) =>
        Object.fromEntries(
          [...m]
            .filter(([, v]) => v > 0)
            .sort((a, b) => b[1] - a[1])
            .slice(0, n),
        );
      const stallMs = Math.round(window.max / 1e6);
      window.reset();
      if (stallMs > 5_000)
        stalls.push({ atS: Math.round((Date.now() - wallStart) / 1000), ms: stallMs });
      log(
        `progress ${Math.round((Date.now() - wallStart) / 1000)} s: ${JSON.stringify({
          stallMs,
          time: timeReport(),
          inFlight: top(proxy.inFlight, 5),
          motoMs: top(proxy.motoMs, 8),
          calls: top(proxy.calls, 8),
        })}`,
      );
    }, 30_000);
    progress.unref();
    // The middle hour, unless told (a run stopped by its wall budget may not reach the middle).
    const outageHour = Math.min(hours - 1, Math.max(0, flag('outage-hour', Math.floor(hours / 2))));
    let hoursDone = 0;
    for (let h = 0; h < hours; h++) {
      if (wallBudgetMinutes > 0 && Date.now() - wallStart > wallBudgetMinutes * 60_000) {
        log(`wall budget of ${wallBudgetMinutes} min spent: stopping after ${h} simulated hours`);
        break;
      }
      hoursDone = h + 1;
      const hourStart = START_MINUTE + h * 60;
      const minutes =
        h === outageHour ? Math.max(minutesPerHour, outageMinutes + 3) : minutesPerHour;
      world.planHour(hourStart, minutes);
      for (let m = 0; m < minutes; m++) {
        const minute = hourStart + m;
        if (h === outageHour) proxy.outage = m >= 1 && m < 1 + outageMinutes;
        proxy.o.faultRate = faultRate;
        simMs = minute * 60_000;
        await world.deploy(minute);
        await timed('world', async () =>
          world.feeder.put(world.feeder.datums(minute, await world.desiredCounts())),
        );
        simMs = (minute + 1) * 60_000 + 5_000;
        receivers.retryDue();
        const time = new Date((minute + 1) * 60_000).toISOString();
        // The dispatcher (a fleet of one shard is collected inline) and its shards, beside the
        // minute's other schedules.
        await Promise.all([
          scheduled('collect', async () => {
            const r = (await fn.collect({ time }, lambdaContext('collect'))) as Parameters<
              typeof countCollected
            >[0] & { inline?: unknown; shards?: number };
            if (r.samples !== undefined) countCollected(r);
            await timed('collect-shard', () => lambda.idle());
          }),
          schedules(),
        ]);
        await pumpAll();
        simMs += 20_000;
        if (m === 0 || (h === outageHour && m === 2)) await traced('operator', () => operator(h));
        await pumpAll();
      }
      proxy.outage = false;
      log(
        JSON.stringify({ ...Object.fromEntries(stepMs), ...Object.fromEntries(delivery.wallMs) }),
      );
      log(`records ${JSON.stringify(delivery.stats.records)}`);
      log(
        `hour ${h + 1}/${hours}: ${Math.round((Date.now() - wallStart) / 1000)} s, ${delivery.stats.batches} batches, ${proxy.updateServiceCalls.length} UpdateService, ${proxy.publishes.length} Publish`,
      );
    }
    // The end: the operator answers what still waits, the scheduled functions run on (faults still
    // on) past the takeover window, the operator replays the failure queue; then a calm minute.
    const endMinute = START_MINUTE + hoursDone * 60;
    simMs = endMinute * 60_000;
    await reviewProposals(true);
    await pumpAll();
    for (let m = 0; m < 5; m++) {
      simMs = (endMinute + m) * 60_000 + 30_000;
      receivers.retryDue();
      await schedules();
      await pumpAll();
    }
    // The failure-queue alarm has fired by now; the operator runs `npm run replay-failures`, and
    // again a minute later while the queue still holds something (faults still on), up to 5 times:
    // what stays after that is lost.
    // The stream's drain returns after a bounded number of reads, possibly with mappings still at
    // work: before counting, and before the checks, every mapping finishes and the stream is quiet.
    const settle = async () => {
      await pumpAll();
      await delivery.idle();
      await pumpAll();
      await delivery.idle();
    };
    const queued = () => delivery.stats.deadLettered.size + receivers.failedCount;
    replayRounds = await replayFailureQueues(
      {
        replay: async () => {
          await delivery.replayDeadLettered(1);
          await receivers.replayFailed(1);
        },
        handOn: async () => {
          await settle();
          await receivers.idle();
        },
        queued,
      },
      REPLAY_ROUNDS,
      () => {
        simMs += 60_000;
      },
    );
    proxy.o.faultRate = 0;
    simMs = Math.max(simMs + 30_000, (endMinute + 6) * 60_000);
    // What the replays and the minutes after the first answer proposed waits for the operator too:
    // answered again before the last minutes, so a proposal nobody was asked about is not "stuck".
    await reviewProposals(true);
    await pumpAll();
    // Calm minutes, faults off, one schedule a minute for as long as the product's own retry
    // windows take: an alert whose Publish got no answer is republished once no echo came within
    // ECHO_GRACE_MS, a claim goes stale after STALE_CLAIM_MS. What is still not done after them is
    // lost; before session 12 the run ended two schedules after the replays, at one moment, and an
    // alert attempted in the last replay minute could be counted lost while its republish was due.
    const calmMinutes = Math.ceil(Math.max(ECHO_GRACE_MS, STALE_CLAIM_MS) / 60_000) + 2;
    for (let m = 0; m < calmMinutes; m++) {
      receivers.retryDue();
      await schedules();
      await pumpAll();
      simMs += 60_000;
    }
    await schedules();
    await settle();
    await receivers.idle();
    // Lost: what the failure queues hold now, replayed or not (a record can reach them after the
    // last round, or in the calm minutes).
    const undeliverable = queued();
    const stillFailing = delivery.stillFailing();
    const slackStillFailing = receivers.stillFailing();

    const decisions = await readKind<Decision>(moto.endpoint, stack.tableName, 'DECISION');
    const anomalies = await readKind<Anomaly>(moto.endpoint, stack.tableName, 'ANOMALY');
    const alertLog = await alertLogEntries(moto.endpoint, stack.tableName);
    if (dumpFile) {
      writeFileSync(
        dumpFile,
        JSON.stringify({
          decisions,
          anomalies,
          alertLog,
          updateServiceCalls: proxy.updateServiceCalls,
        }),
      );
    }
    const verdict = judge({
      decisions,
      anomalies,
      finalDesired: await world.desiredCounts(),
      updateServiceCalls: proxy.updateServiceCalls,
      publishes: proxy.publishes,
      receiverDuplicates: duplicatesAtReceivers(receivers.counts),
      undeliverable,
      alertLog,
      // An answer naming another batch's records is as much an invocation error as a throw.
      unhandledErrors:
        delivery.stats.unhandledErrors.length +
        delivery.stats.foreignFailureIds.length +
        processErrors.length,
      end: new Date(simMs),
    });
    console.log(JSON.stringify(verdict.figures));
    // Not in the figures: whether what stays is stuck for good or was failed by the faults alone —
    // one more replay, faults off, after the checks.
    const deliveredByACalmReplay =
      undeliverable === 0
        ? 0
        : undeliverable -
          (await delivery.replayDeadLettered(1)) -
          (await receivers.replayFailed(1));
    if (!asJson) {
      const summary = {
        wallSeconds: Math.round((Date.now() - wallStart) / 1000),
        simulatedHours: hoursDone,
        clientTimeoutMs: CLIENT_TIMEOUT_MS,
        streamShards,
        minutesPerHour,
        outage: { hour: outageHour + 1, minutes: outageMinutes },
        calls: Object.fromEntries([...proxy.calls].sort((a, b) => b[1] - a[1]).slice(0, 12)),
        faults: Object.fromEntries(proxy.faults),
        slowAnswers: Object.fromEntries(proxy.slowAnswers),
        updateServiceCalls: proxy.updateServiceCalls.length,
        unansweredUpdateService: proxy.updateServiceCalls.filter((c) => !c.answered).length,
        publishes: proxy.publishes.length,
        notificationLog: countByState(alertLog),
        receivers: {
          ...duplicatesAtReceivers(receivers.counts),
          slackPosts: [...receivers.counts.slack.values()].reduce((a, b) => a + b, 0),
          webhookPosts: [...receivers.counts.webhook.values()].reduce((a, b) => a + b, 0),
          emails: [...receivers.counts.email.values()].reduce((a, b) => a + b, 0),
          subscriberRuns: receivers.counts.subscriberRuns,
          subscriberFailures: receivers.counts.subscriberFailures.slice(0, 5),
        },
        stream: {
          batches: delivery.stats.batches,
          invocations: delivery.stats.invocations,
          itemFailures: delivery.stats.itemFailures,
          sentToFailureQueue: delivery.stats.sentToFailureQueue,
          pastTimeout: delivery.stats.pastTimeout.length,
          foreignFailureIds: delivery.stats.foreignFailureIds.slice(0, 5),
          pastTimeoutFirst: delivery.stats.pastTimeout.slice(0, 5),
          replayRounds,
          stillFailingAfterReplay: undeliverable,
          stillFailing: stillFailing.slice(0, 5),
          slackStillFailing: slackStillFailing.slice(0, 5),
          slackRetriesPending: receivers.retryingCount,
          deliveredByACalmReplay,
        },
        collected,
        time: timeReport(),
        eventLoopDelayMs: {
          p99: Math.round(loopDelay.percentile(99) / 1e6),
          max: Math.round(loopDelay.max / 1e6),
          over5s: stalls,
        },
        collectShards: lambda.stats,
        scheduledFailures: Object.fromEntries(scheduledFailures),
        scheduledErrors,
        apiStatuses: Object.fromEntries(apiStatuses),
        unhandled: [...delivery.stats.unhandledErrors.slice(0, 5), ...processErrors.slice(0, 5)],
        details: Object.fromEntries(
          Object.entries(verdict.details).map(([k, v]) => [k, v.slice(0, 8)]),
        ),
        copiesAtReceivers: copiesAtReceivers(receivers.counts).slice(0, 8),
      };
      console.error(JSON.stringify(summary, null, 2));
    }
    await proxy.stop();
    await lambda.stop();
    await receivers.stop();
  } finally {
    await moto.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
