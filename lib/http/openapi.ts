// The OpenAPI 3.1 document, generated from the same route list and zod schemas that validate
// requests, so it cannot drift from what the API accepts.
import { z } from 'zod';
import type { Route } from './route';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType): Json {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function parameters(s: z.ZodType | undefined, where: 'path' | 'query' | 'header'): Json[] {
  if (!s) return [];
  const js = schemaOf(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema,
  }));
}

const num = { type: 'number' };
const numOrNull = { type: ['number', 'null'] };
const durations = {
  type: 'object',
  description: 'seconds; null before anything was measured',
  properties: { count: num, medianSeconds: numOrNull, meanSeconds: numOrNull },
};
const rates = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { recoveries: num, succeeded: num, failed: num, successRate: numOrNull },
  },
};
const accuracy = {
  type: 'object',
  properties: { verified: num, resolved: num, notResolved: num, worse: num, accuracy: numOrNull },
};

/** The answers whose shape a client most needs: referenced from their routes' 200 response. */
const responseSchemas: Record<string, Json> = {
  HealthScore: {
    type: 'object',
    description:
      '0–100 from the latest judgement of each series; 0 when no task runs while some are desired; at most 79 while an incident is open',
    properties: {
      score: num,
      state: { type: 'string', enum: ['operational', 'degraded', 'outage'] },
    },
  },
  SeriesForecast: {
    type: 'object',
    properties: {
      metric: { type: 'string' },
      lastAt: { type: 'string', format: 'date-time' },
      next: {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, value: num },
      },
      trendPerHour: num,
      breach: {
        type: ['object', 'null'],
        description:
          'the soonest crossing of any of its lines (or of the 95% memory limit decide diagnoses a leak on); null when none is forecast',
        properties: { inMinutes: num, at: { type: 'string', format: 'date-time' } },
      },
      lines: {
        type: 'array',
        description:
          'every line the watch forecasts the series against: memory and disk reaching 95% within a week, each threshold policy crossed within the hour',
        items: {
          type: 'object',
          properties: {
            limit: num,
            side: { type: 'string', enum: ['above', 'below'] },
            horizonMinutes: num,
            policy: { type: ['string', 'null'] },
            breach: {
              type: ['object', 'null'],
              properties: { inMinutes: num, at: { type: 'string', format: 'date-time' } },
            },
          },
        },
      },
    },
  },
  ServiceWithOutlook: {
    type: 'object',
    description: 'the service as configured, with source, version, health and forecasts',
    properties: {
      id: { type: 'string' },
      source: { type: 'string', enum: ['config', 'api', 'config-override'] },
      version: num,
      health: { $ref: '#/components/schemas/HealthScore' },
      forecasts: { type: 'array', items: { $ref: '#/components/schemas/SeriesForecast' } },
    },
  },
  RecoveryReport: {
    type: 'object',
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      totalRecoveries: num,
      succeeded: num,
      failed: num,
      successRate: numOrNull,
      timeToAct: { ...durations, description: 'anomaly (or request) → the ECS call done' },
      timeToRecover: {
        ...durations,
        description:
          'incident start → resolved (else the action verified resolved), once per incident; unrecovered counts the rest',
        properties: { ...durations.properties, unrecovered: num },
      },
      meanTimeToRecoverSeconds: numOrNull,
      byService: rates,
      byAction: rates,
      accuracy: {
        type: 'object',
        properties: {
          overall: accuracy,
          byAction: { type: 'object', additionalProperties: accuracy },
          targetScaling: accuracy,
        },
      },
    },
  },
};
const responseSchemaOf: Record<string, string> = {
  'GET /report': 'RecoveryReport',
  'GET /services/{id}': 'ServiceWithOutlook',
};

export function openApiDocument(routes: readonly Route[], version = '0.1.0'): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const params = parameters(r.request?.params, 'path');
    for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
      const n = name.slice(1, -1);
      if (!params.some((p) => p.name === n)) {
        params.push({ name: n, in: 'path', required: true, schema: { type: 'string' } });
      }
    }
    const responses: Record<string, Json> = {};
    for (const [code, description] of Object.entries(r.responses ?? { 200: 'OK' })) {
      responses[code] = { description };
    }
    const answer = responseSchemaOf[`${r.method} ${r.path}`];
    if (answer && responses['200']) {
      const ref = { $ref: `#/components/schemas/${answer}` };
      responses['200'] = { ...responses['200'], content: { 'application/json': { schema: ref } } };
    }
    if (r.request && (r.request.body || r.request.query || r.request.params || r.request.headers)) {
      responses['400'] = {
        description: 'invalid input: the body names each bad field',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    if (r.scope !== 'public') {
      responses['401'] = { description: 'missing or invalid X-API-Key' };
      responses['403'] = { description: `the key lacks the ${r.scope} scope` };
      responses['429'] = { description: 'rate limited; see Retry-After' };
    }
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${
        r.path
          .replace(/[{}]/g, '')
          .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
          .replace(/[^A-Za-z0-9]/g, '') || 'Root'
      }`,
      summary: r.summary ?? '',
      parameters: [
        ...params,
        ...parameters(r.request?.query, 'query'),
        ...parameters(r.request?.headers, 'header'),
      ],
      responses,
      'x-scope': r.scope,
    };
    if (r.scope !== 'public') op.security = [{ apiKey: [] }, { bearer: [] }];
    if (r.request?.body) {
      op.requestBody = {
        required: !r.request.body.safeParse(undefined).success,
        content: { 'application/json': { schema: schemaOf(r.request.body) } },
      };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vigia',
      version,
      description:
        'Serverless autopilot for AWS ECS: health, status, services, pushed metrics, history, manual actions. Scopes: read < operate < admin.',
    },
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'the same API key as a bearer token',
        },
      },
      schemas: {
        ...responseSchemas,
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string' },
            message: { type: 'string' },
            issues: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
