// Shared by the api-*.test.ts files: keys created straight in the table, and a small fetch client.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createClients } from '../../lib/aws/clients';
import { ApiKeyStore, type ApiScope } from '../../lib/store/api-key-store';
import { Table } from '../../lib/store/table';

export function apiKit(endpoint: string, tableName: string, baseUrl: string) {
  const aws = createClients({ endpoint, region: 'us-east-1' });
  const table = new Table(aws.dynamo, tableName, endpoint);
  const keys = new ApiKeyStore(table);
  return {
    aws,
    table,
    keys,
    async key(name: string, scopes: ApiScope[], rateLimitPerMinute?: number) {
      return (await keys.create({ name, scopes, now: new Date(), rateLimitPerMinute })).key;
    },
    async call(
      method: string,
      path: string,
      opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key) headers['x-api-key'] = opts.key;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    /** Items a write route could create (not samples, models, heartbeats or rate counters). */
    async writtenItems(): Promise<string[]> {
      const out: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await aws.dynamo.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
        );
        for (const i of page.Items ?? []) {
          const kind = String(i.kind);
          // Decisions and actions the autopilot itself writes meanwhile are not the API's.
          const byApi = String(i.requestedBy ?? '').startsWith('api:');
          if (
            kind === 'service' ||
            kind === 'pushed' ||
            (['decision', 'action'].includes(kind) && byApi)
          ) {
            out.push(`${i.pk}|${i.sk}|${i.version ?? ''}|${i.status ?? ''}|${i.mode ?? ''}`);
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return out.sort();
    },
  };
}
