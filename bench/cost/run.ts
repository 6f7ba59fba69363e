// npm run cost -- --services N [--metrics M] [--push-interval S] [--cadence K] [--hot-share H]
//   [--no-alarm] [--usage bench-collect.json] [--frontier] [--json]
// The monthly AWS cost of watching one service and the fleet, by component, from the usage derived
// from vigia's call pattern (or counted by bench:collect) and the dated price table; --frontier adds
// reaction time to a load step against cost for each read cadence.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { awsPrices, pricesCheckedOn, pricesRegion } from './aws-prices';
import { components, monthlyCost, type MonthlyCost } from './cost-model';
import { deriveUsage, typicalScenario, type Scenario } from './derive-usage';
import { chooseDefault, frontier, type FrontierRow } from './frontier';
import { defaultCadence } from '../../src/collection/read-cadence';
import { countedUsage } from './usage-file';

function main(): void {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', default: String(typicalScenario.services) },
      metrics: { type: 'string', default: String(typicalScenario.metrics) },
      'push-interval': { type: 'string' },
      // The product's defaults: calm reads as read-cadence.ts ships them, the sentinel on.
      cadence: { type: 'string', default: String(defaultCadence.calmEveryMinutes) },
      'hot-share': { type: 'string', default: String(typicalScenario.hotShare) },
      alarm: { type: 'boolean', default: true },
      'no-alarm': { type: 'boolean', default: false },
      usage: { type: 'string' },
      frontier: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const scenario: Scenario = {
    ...typicalScenario,
    services: positive(values.services, 'services'),
    metrics: positive(values.metrics, 'metrics'),
    calmEveryMinutes: positive(values.cadence, 'cadence'),
    hotShare: share(values['hot-share']),
    pushIntervalSeconds:
      values['push-interval'] === undefined
        ? null
        : positive(values['push-interval'], 'push-interval'),
    sentinelAlarm: values.alarm && !values['no-alarm'],
  };
  const derived = deriveUsage(scenario);
  const counted = values.usage
    ? countedUsage(JSON.parse(readFileSync(values.usage, 'utf8')), derived)
    : null;
  const usage = counted?.usage ?? derived;
  const cost = monthlyCost(usage);
  const curve = values.frontier ? frontier(scenario) : null;
  const chosen = curve ? chooseDefault(curve.rows, curve.targetTracking) : null;

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          prices: { region: pricesRegion, checkedOn: pricesCheckedOn },
          scenario,
          usageSource: counted ? values.usage : 'derived',
          derivedFields: counted?.derivedFields,
          usage,
          cost,
          ...(curve && { frontier: curve.rows, targetTracking: curve.targetTracking, chosen }),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `AWS ${pricesRegion} list prices as published, checked ${pricesCheckedOn}; usage ${
      counted
        ? `counted (${values.usage}; derived: ${counted.derivedFields.join(', ') || 'none'})`
        : 'derived from the call pattern'
    }`,
  );
  // A counted usage carries its own services and calls; the scenario then only fills its gaps.
  console.log(
    `${usage.services} services${counted ? ' (counted); the derivation for the missing fields:' : ','} ${scenario.metrics} metrics, calm reads every ${scenario.calmEveryMinutes} min (${scenario.hotShare * 100}% hot), ` +
      `${scenario.pushIntervalSeconds ? `pushes every ${scenario.pushIntervalSeconds} s` : 'no pushes'}, sentinel alarm ${scenario.sentinelAlarm ? 'on' : 'off'}\n`,
  );
  printCost(cost);
  if (curve && chosen) printFrontier(curve.rows, curve.targetTracking, chosen);
}

function printCost(cost: MonthlyCost): void {
  console.log('| component | per service-month | fleet per month |');
  console.log('|---|---:|---:|');
  for (const c of components) {
    console.log(`| ${c} | $${cost.perService[c].toFixed(4)} | $${cost.fleet[c].toFixed(2)} |`);
  }
  console.log(
    `| **total** | **$${cost.perServiceTotal.toFixed(3)}** | **$${cost.fleetTotal.toFixed(2)}** |\n`,
  );
  console.log('| line | units per service-month | $ per service-month |');
  console.log('|---|---:|---:|');
  for (const l of cost.lines) {
    console.log(
      `| ${l.component}: ${awsPrices[l.price].unit} | ${fmt(l.quantity)} | $${l.usd.toFixed(4)} |`,
    );
  }
}

function printFrontier(rows: FrontierRow[], tt: FrontierRow, chosen: FrontierRow): void {
  console.log(
    '\n| option | reaction mean / worst (s), data 1 min late | mean / worst, 2 min late | violation min | $ per service-month | built |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  for (const r of [...rows, tt]) {
    const mark = r === chosen ? ' **(default)**' : '';
    console.log(
      `| ${r.option}${mark} | ${r.reaction.meanSeconds.toFixed(0)} / ${r.reaction.worstSeconds} | ` +
        `${r.reactionLate.meanSeconds.toFixed(0)} / ${r.reactionLate.worstSeconds} | ` +
        `${r.reaction.violationMinutes.toFixed(1)} | $${r.costPerServiceMonth.toFixed(3)} | ${r.built ? 'yes' : 'no'} |`,
    );
  }
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function share(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error('--hot-share must be within 0..1');
  return n;
}

main();
