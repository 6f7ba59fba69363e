// Prices a usage per service-tick (bench/cost/usage.ts) with the dated table (aws-prices.ts): the
// monthly cost of one service and of the fleet, by component, and the priced lines behind each.
// Pure arithmetic: where the usage comes from (derived or counted) is the caller's business.
import { MINUTES_PER_MONTH, awsPrices, priced, type Price, type PriceTable } from './aws-prices';
import type { ServiceTickUsage } from './usage';

export const components = [
  'cloudwatch',
  'dynamodb',
  'lambda',
  'logs',
  'xray',
  'sns',
  'apiGateway',
] as const;
export type Component = (typeof components)[number];

export interface CostLine {
  component: Component;
  price: keyof PriceTable;
  /** Units per service-month. */
  quantity: number;
  /** Dollars per service-month. */
  usd: number;
}

export interface MonthlyCost {
  services: number;
  ticksPerMonth: number;
  perService: Record<Component, number>;
  perServiceTotal: number;
  fleet: Record<Component, number>;
  fleetTotal: number;
  lines: CostLine[];
}

export interface CostOptions {
  prices?: PriceTable;
  /** Email subscribers each alert reaches (SNS email deliveries). */
  emailSubscribers?: number;
}

export function monthlyCost(usage: ServiceTickUsage, options: CostOptions = {}): MonthlyCost {
  const p = options.prices ?? awsPrices;
  const ticks = MINUTES_PER_MONTH / usage.tickMinutes;
  const perMonth = (perTick: number | undefined) => (perTick ?? 0) * ticks;
  const lines: CostLine[] = [];
  const line = (component: Component, price: keyof PriceTable, quantity: number) =>
    lines.push({ component, price, quantity, usd: priced(p[price] as Price, quantity) });

  line('cloudwatch', 'cloudwatchMetricsRequested', perMonth(usage.cloudwatchMetricsRequested));
  line('cloudwatch', 'cloudwatchAlarmMetric', usage.alarmMetrics ?? 0);
  line('cloudwatch', 'cloudwatchApiRequests', perMonth(usage.cloudwatchApiRequests));
  line('dynamodb', 'dynamoWriteUnits', perMonth(usage.dynamoWriteUnits));
  line('dynamodb', 'dynamoReadUnits', perMonth(usage.dynamoReadUnits));
  line('dynamodb', 'dynamoStorage', (usage.storedBytes ?? 0) / 1024 ** 3);
  // Every consumer reads the stream through a Lambda trigger: free, listed so the zero is visible.
  line('dynamodb', 'dynamoStreamReads', 0);
  line('lambda', 'lambdaRequests', perMonth(usage.lambdaInvocations));
  line('lambda', 'lambdaGbSecondsArm64', perMonth(usage.lambdaGbSeconds));
  line('logs', 'cloudwatchLogsIngestion', perMonth(usage.logBytes) / 1024 ** 3);
  line('xray', 'xrayTracesRecorded', perMonth(usage.tracedInvocations));
  line('sns', 'snsPublishes', perMonth(usage.snsPublishes));
  line('sns', 'snsEmailDeliveries', perMonth(usage.snsPublishes) * (options.emailSubscribers ?? 1));
  line('apiGateway', 'apiGatewayHttpRequests', perMonth(usage.apiRequests));

  const perService = Object.fromEntries(components.map((c) => [c, 0])) as Record<Component, number>;
  for (const l of lines) perService[l.component] += l.usd;
  const perServiceTotal = sum(Object.values(perService));
  const fleet = Object.fromEntries(
    components.map((c) => [c, perService[c] * usage.services]),
  ) as Record<Component, number>;
  return {
    services: usage.services,
    ticksPerMonth: ticks,
    perService,
    perServiceTotal,
    fleet,
    fleetTotal: perServiceTotal * usage.services,
    lines,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
