// API keys for the HTTP API: `npm run keys -- create <name> --scopes read,operate [--rate-limit N]`,
// `npm run keys -- list`, `npm run keys -- revoke <keyId>`. Talks to the table named by VIGIA_TABLE
// (default vigia-<VIGIA_STAGE or dev>) at VIGIA_AWS_ENDPOINT (unset: real AWS, default credentials).
import { parseArgs } from 'node:util';
import { createClients } from '../lib/aws/clients';
import { ApiKeyStore, apiScopeSchema, type ApiScope } from '../lib/store/api-key-store';
import { Table } from '../lib/store/table';

const usage = `usage: npm run keys -- create <name> --scopes read[,operate,admin] [--rate-limit N]
       npm run keys -- list
       npm run keys -- revoke <keyId>`;

function store() {
  const stage = process.env.VIGIA_STAGE || 'dev';
  const table = process.env.VIGIA_TABLE || `vigia-${stage}`;
  const endpoint = process.env.VIGIA_AWS_ENDPOINT || undefined;
  const region = process.env.AWS_REGION || 'us-east-1';
  if (endpoint) {
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  }
  const aws = createClients({ endpoint, region });
  return { keys: new ApiKeyStore(new Table(aws.dynamo, table, endpoint)), table, endpoint };
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scopes: { type: 'string' },
      'rate-limit': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [command, arg] = positionals;
  const { keys, table, endpoint } = store();
  const where = `${table}${endpoint ? ` at ${endpoint}` : ''}`;
  if (command === 'create') {
    if (!arg || !/^[A-Za-z0-9_.-]{1,64}$/.test(arg)) {
      console.error('create needs a name: 1-64 letters, digits, dot, dash or underscore');
      return 2;
    }
    const scopes = (values.scopes ?? 'read').split(',').map((s) => s.trim());
    const parsed = scopes.map((s) => apiScopeSchema.safeParse(s));
    if (parsed.some((p) => !p.success)) {
      console.error(
        `--scopes must be a comma list of read, operate, admin (got '${values.scopes}')`,
      );
      return 2;
    }
    const limit = values['rate-limit'] ? Number(values['rate-limit']) : null;
    if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
      console.error('--rate-limit must be a positive whole number of requests per minute');
      return 2;
    }
    const { key, record } = await keys.create({
      name: arg,
      scopes: parsed.map((p) => p.data as ApiScope),
      now: new Date(),
      rateLimitPerMinute: limit,
    });
    if (values.json) console.log(JSON.stringify({ key, ...record }));
    else {
      console.log(
        `created key ${record.keyId} '${record.name}' [${record.scopes.join(', ')}] in ${where}`,
      );
      console.log(`X-API-Key: ${key}`);
      console.log('(shown once: only its sha256 is stored)');
    }
    return 0;
  }
  if (command === 'list') {
    const all = await keys.list();
    if (values.json) console.log(JSON.stringify(all));
    else if (all.length === 0) console.log(`no API keys in ${where}`);
    else
      for (const k of all)
        console.log(
          `${k.keyId}  ${k.name.padEnd(20)} ${k.scopes.join(',').padEnd(20)} ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}`,
        );
    return 0;
  }
  if (command === 'revoke') {
    if (!arg) {
      console.error('revoke needs a keyId (see `npm run keys -- list`)');
      return 2;
    }
    const ok = await keys.revoke(arg, new Date());
    console.log(ok ? `revoked ${arg}` : `no live key ${arg} in ${where}`);
    return ok ? 0 : 1;
  }
  console.error(usage);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`keys: ${err.message}`);
    process.exit(1);
  },
);
