// Environment and the services file, parsed once per container by strict schemas: every setting
// vigia reads comes from here, and lib/wiring builds every adapter from the result.
import { z } from 'zod';
import servicesFile from '../config/services.json';
import { parseFleetConfig, parseWith, type Service } from '../src/model';
import { alertingConfigSchema, type AlertingConfig } from '../src/alerting';
import type { GlobalSwitches } from '../src/decision';
import type { LlmProvider } from '../src/decision/llm-fallback';
import { ConfigurationError, ValidationError } from '../src/errors';
import { defaultCadence, type CadenceSettings } from '../src/collection/read-cadence';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1'));

/** A whole number within bounds; unset or empty is the default. */
const intSetting = (min: number, max: number, fallback: number) =>
  z
    .union([z.literal(''), z.coerce.number().int().min(min).max(max)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? fallback : v));

/**
 * The global switches' defaults, in this one place (issue #14 part 7): serverless.yml passes each
 * switch through only when the deployer sets it, so an unset switch is the default below. On where
 * production runs the autopilot as shipped, off for what must be chosen (learned choice, the LLM).
 * README "Switches" says what each one does.
 */
export const switchDefaults = {
  AUTO_SCALING_ENABLED: true,
  AUTO_RECOVERY_ENABLED: true,
  ANOMALY_DETECTION_ENABLED: true,
  AI_DECISIONS_ENABLED: false,
  LLM_DIAGNOSIS_ENABLED: false,
} as const;

const envSchema = z.object({
  VIGIA_TABLE: z.string().min(1, 'VIGIA_TABLE (the DynamoDB table name) is required'),
  VIGIA_TOPIC_ARN: z
    .string()
    .startsWith('arn:', 'VIGIA_TOPIC_ARN must be an SNS topic ARN')
    .optional(),
  VIGIA_AWS_ENDPOINT: z
    .union([z.literal(''), z.url('VIGIA_AWS_ENDPOINT must be a URL such as http://127.0.0.1:5005')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  AWS_REGION: z.string().default('us-east-1'),
  VIGIA_STAGE: z.string().default('dev'),
  /** The queue stream records land in once their retries are exhausted; /health counts it. */
  VIGIA_FAILURE_QUEUE_URL: z
    .union([z.literal(''), z.url('VIGIA_FAILURE_QUEUE_URL must be an SQS queue URL')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  VIGIA_STATUS_PAGE_URL: z.string().optional(),
  AUTO_SCALING_ENABLED: flag(switchDefaults.AUTO_SCALING_ENABLED),
  AUTO_RECOVERY_ENABLED: flag(switchDefaults.AUTO_RECOVERY_ENABLED),
  ANOMALY_DETECTION_ENABLED: flag(switchDefaults.ANOMALY_DETECTION_ENABLED),
  AI_DECISIONS_ENABLED: flag(switchDefaults.AI_DECISIONS_ENABLED),
  /** The optional LLM diagnosis (docs/decisions.md); off unless set, and then needs providers. */
  LLM_DIAGNOSIS_ENABLED: flag(switchDefaults.LLM_DIAGNOSIS_ENABLED),
  /** The LLM providers as a JSON array, asked in this order; see llmProviderSchema. */
  VIGIA_LLM_PROVIDERS: z.string().optional(),
  /** Alert-manager timings as JSON, e.g. {"groupWaitSeconds":10}; see docs/alerts.md. */
  VIGIA_ALERTING: z.string().optional(),
  SLACK_WEBHOOK_URL: z
    .union([z.literal(''), z.url('SLACK_WEBHOOK_URL must be a URL')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  SLACK_WEBHOOK_SSM_PARAMETER: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  VIGIA_WEBHOOK_URL: z
    .union([z.literal(''), z.url('VIGIA_WEBHOOK_URL must be a URL')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  VIGIA_WEBHOOK_SSM_PARAMETER: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** Longest wait for one AWS call's answer (each call is tried up to 4 times). */
  VIGIA_AWS_REQUEST_TIMEOUT_MS: z
    .union([z.literal(''), z.coerce.number().int().min(100).max(60_000)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? 4_000 : v)),
  /** Services per collect worker invocation; a fleet of at most one shard is collected inline. */
  VIGIA_COLLECT_SHARD_SIZE: intSetting(1, 500, 100),
  /** The worker function the collect dispatcher invokes (its deployed name). */
  VIGIA_COLLECT_SHARD_FUNCTION: z.string().default('vigia-dev-collect-shard'),
  /** Lambda's endpoint when it is not AWS's (serverless offline's Lambda port). */
  VIGIA_LAMBDA_ENDPOINT: z
    .union([
      z.literal(''),
      z.url('VIGIA_LAMBDA_ENDPOINT must be a URL such as http://127.0.0.1:3002'),
    ])
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** serverless offline's Lambda port: with a local AWS endpoint, Lambda is invoked there. */
  VIGIA_LAMBDA_PORT: z.string().optional(),
  /** A calm service's CloudWatch series are read every this many minutes (hot ones every minute). */
  VIGIA_COLLECT_CALM_EVERY_MINUTES: intSetting(1, 60, defaultCadence.calmEveryMinutes),
  /** An anomaly or scaling action keeps a service read every minute for this long. */
  VIGIA_COLLECT_HOT_MINUTES: intSetting(1, 1440, defaultCadence.hotForMinutes),
  /** A metric within this % of its target keeps a service read every minute. */
  VIGIA_COLLECT_NEAR_TARGET_PERCENT: intSetting(0, 100, defaultCadence.nearTargetPercent),
  /** One CloudWatch alarm per service wakes its reads between calm polls; false deletes them. */
  VIGIA_SENTINEL_ENABLED: flag(true),
  /** Clusters registered at runtime, comma-separated (deploy parameter extraClusters). */
  VIGIA_EXTRA_CLUSTERS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  /** Requests per minute per API key, unless the key sets its own. */
  VIGIA_API_RATE_LIMIT: z
    .union([z.literal(''), z.coerce.number().int().min(1).max(100_000)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? 120 : v)),
  /** Requests per minute per source IP on the public routes (no API key). */
  VIGIA_PUBLIC_RATE_LIMIT: z
    .union([z.literal(''), z.coerce.number().int().min(1).max(100_000)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? 60 : v)),
});

/** One OpenAI-compatible provider of the LLM diagnosis (its key only ever in SSM). */
const llmProviderSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, - or _'),
  baseUrl: z.url('must be the API base URL, e.g. https://api.groq.com/openai/v1'),
  model: z.string().min(1).max(200),
  /** SSM SecureString parameter with the API key; omit for a server that needs none. */
  apiKeyParameter: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(50_000).default(10_000),
  monthlyTokenBudget: z.number().int().min(1).default(1_000_000),
});

function parseLlm(enabled: boolean, json: string | undefined): AppConfig['llm'] {
  let raw: unknown = [];
  if (json) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new ValidationError('VIGIA_LLM_PROVIDERS is not valid JSON', [
        { path: 'VIGIA_LLM_PROVIDERS', message: 'is not valid JSON' },
      ]);
    }
  }
  const providers = parseWith(
    z
      .array(llmProviderSchema)
      .max(8)
      .refine((list) => new Set(list.map((p) => p.name)).size === list.length, {
        message: 'provider names must be unique (each has its own budget)',
      })
      .refine((list) => !enabled || list.length > 0, {
        message: 'LLM_DIAGNOSIS_ENABLED needs at least one provider',
      }),
    raw,
    'VIGIA_LLM_PROVIDERS',
  );
  return { enabled, providers };
}

function parseAlerting(json: string | undefined, statusPageUrl: string | undefined) {
  let raw: unknown = {};
  if (json) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new ValidationError('VIGIA_ALERTING is not valid JSON', [
        { path: 'VIGIA_ALERTING', message: 'is not valid JSON' },
      ]);
    }
  }
  if (statusPageUrl && typeof raw === 'object' && raw !== null && !('statusPageUrl' in raw)) {
    raw = { ...raw, statusPageUrl };
  }
  return parseWith(alertingConfigSchema, raw, 'VIGIA_ALERTING');
}

export type AppConfig = {
  tableName: string;
  topicArn: string | undefined;
  endpoint: string | undefined;
  region: string;
  /** Longest wait for one AWS call's answer. */
  requestTimeoutMs: number;
  stage: string;
  /** The stream failure queue's URL, when the stack has one. */
  failureQueueUrl: string | undefined;
  statusPageUrl: string | undefined;
  /** Timings of the alert manager (group wait, repeat, resolve) and the status link. */
  alerting: AlertingConfig;
  /** Where the slack function posts; secrets: never log them. */
  outbound: {
    slackWebhookUrl: string | undefined;
    slackWebhookParameter: string | undefined;
    webhookUrl: string | undefined;
    webhookParameter: string | undefined;
  };
  switches: {
    autoScaling: boolean;
    autoRecovery: boolean;
    anomalyDetection: boolean;
    aiDecisions: boolean;
  };
  /** The same switches as the decision rules take them. */
  decisionSwitches: GlobalSwitches;
  /** The optional LLM diagnosis: its own switch, and its providers in the order they are asked. */
  llm: { enabled: boolean; providers: LlmProvider[] };
  api: {
    /** Requests per minute per API key, unless the key sets its own. */
    rateLimitPerMinute: number;
    /** Requests per minute per source IP without a key (the public routes). */
    publicRateLimitPerMinute: number;
  };
  /** Clusters the IAM roles allow besides the declared services' (deploy parameter extraClusters). */
  extraClusters: string[];
  /** The collector's fan-out and read cadence. */
  collect: {
    shardSize: number;
    shardFunction: string;
    /** Where Lambda is invoked: undefined is AWS's own endpoint. */
    lambdaEndpoint: string | undefined;
    cadence: CadenceSettings;
    /** The sentinel alarms (vigia-<stage>-sentinel-<serviceId>) and their wake. */
    sentinel: { enabled: boolean };
  };
};

export function parseEnv(env: Record<string, string | undefined>): AppConfig {
  const e = parseWith(envSchema, env, 'environment');
  return {
    tableName: e.VIGIA_TABLE,
    topicArn: e.VIGIA_TOPIC_ARN,
    endpoint: e.VIGIA_AWS_ENDPOINT,
    region: e.AWS_REGION,
    requestTimeoutMs: e.VIGIA_AWS_REQUEST_TIMEOUT_MS,
    stage: e.VIGIA_STAGE,
    failureQueueUrl: e.VIGIA_FAILURE_QUEUE_URL,
    statusPageUrl: e.VIGIA_STATUS_PAGE_URL,
    alerting: parseAlerting(e.VIGIA_ALERTING, e.VIGIA_STATUS_PAGE_URL),
    outbound: {
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      slackWebhookParameter: e.SLACK_WEBHOOK_SSM_PARAMETER,
      webhookUrl: e.VIGIA_WEBHOOK_URL,
      webhookParameter: e.VIGIA_WEBHOOK_SSM_PARAMETER,
    },
    switches: {
      autoScaling: e.AUTO_SCALING_ENABLED,
      autoRecovery: e.AUTO_RECOVERY_ENABLED,
      anomalyDetection: e.ANOMALY_DETECTION_ENABLED,
      aiDecisions: e.AI_DECISIONS_ENABLED,
    },
    decisionSwitches: {
      autoScalingEnabled: e.AUTO_SCALING_ENABLED,
      autoRecoveryEnabled: e.AUTO_RECOVERY_ENABLED,
      aiDecisionsEnabled: e.AI_DECISIONS_ENABLED,
    },
    llm: parseLlm(e.LLM_DIAGNOSIS_ENABLED, e.VIGIA_LLM_PROVIDERS),
    api: {
      rateLimitPerMinute: e.VIGIA_API_RATE_LIMIT,
      publicRateLimitPerMinute: e.VIGIA_PUBLIC_RATE_LIMIT,
    },
    extraClusters: e.VIGIA_EXTRA_CLUSTERS,
    collect: {
      shardSize: e.VIGIA_COLLECT_SHARD_SIZE,
      shardFunction: e.VIGIA_COLLECT_SHARD_FUNCTION,
      lambdaEndpoint:
        e.VIGIA_LAMBDA_ENDPOINT ??
        (e.VIGIA_AWS_ENDPOINT && e.VIGIA_LAMBDA_PORT
          ? `http://127.0.0.1:${e.VIGIA_LAMBDA_PORT}`
          : undefined),
      cadence: {
        calmEveryMinutes: e.VIGIA_COLLECT_CALM_EVERY_MINUTES,
        hotForMinutes: e.VIGIA_COLLECT_HOT_MINUTES,
        nearTargetPercent: e.VIGIA_COLLECT_NEAR_TARGET_PERCENT,
      },
      sentinel: { enabled: e.VIGIA_SENTINEL_ENABLED },
    },
  };
}

let cached: AppConfig | undefined;
export function config(): AppConfig {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The services declared in config/services.json, bundled with every function. A file that breaks the
 * schema is a ConfigurationError (a 500 whose detail stays in the logs), not a ValidationError, which
 * the API would answer as the caller's 400 with the file's problems in the body.
 */
let declared: Service[] | undefined;
export function declaredServices(): Service[] {
  declared ??= parseServicesFile(servicesFile);
  return declared;
}

export function parseServicesFile(input: unknown): Service[] {
  try {
    return parseFleetConfig(input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ConfigurationError(err.message, err.issues, { cause: err });
  }
}

export function requireTopicArn(c: AppConfig): string {
  if (!c.topicArn)
    throw new Error('VIGIA_TOPIC_ARN is not set: the notify function needs the alerts topic');
  return c.topicArn;
}
