// Counts the AWS calls an SDK client makes, by API, with the bytes each request sent and the
// DynamoDB write and read units it cost (estimated from sizes, as moto reports none): a middleware on the client's own stack, so the code
// under measurement runs unchanged. Used by bench:collect and the collector's write tests.

export interface CallCounts {
  /** "Service.Operation" → calls (every attempt the SDK made counts once, as AWS bills it). */
  calls: Map<string, number>;
  /** Request body bytes by "Service.Operation". */
  bytes: Map<string, number>;
  /** DynamoDB write units (1 per KB a write sends) and read units (1 per 4 KB a read answers). */
  writeUnits: number;
  readUnits: number;
  /** CloudWatch GetMetricData queries (metrics requested: what AWS bills). */
  metricsRequested: number;
}

export function newCounts(): CallCounts {
  return { calls: new Map(), bytes: new Map(), writeUnits: 0, readUnits: 0, metricsRequested: 0 };
}

interface StackLike {
  middlewareStack: {
    add(
      mw: (next: (args: never) => Promise<unknown>, context: Record<string, unknown>) => unknown,
      options: { step: 'initialize' | 'finalizeRequest'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

const jsonBytes = (v: unknown) =>
  Buffer.byteLength(
    JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? 'b'.repeat(x.length) : x)),
  );
const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

/** Adds the counting middleware to `client` (once per client and counts object). */
export function countCalls(client: unknown, service: string, counts: CallCounts): void {
  const stack = (client as StackLike).middlewareStack;
  const opName = (context: Record<string, unknown>) =>
    `${service}.${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
  // Reads: the units the answer costs as DynamoDB bills them (4 KB a unit, half a unit when
  // eventually consistent): a Query or Scan on the size of all it read, a GetItem or BatchGetItem
  // per item asked for, a missing item still costing the minimum. The emulator reports none.
  stack.add(
    ((
        next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
        context: Record<string, unknown>,
      ) =>
      async (args: unknown) => {
        const input = (args as { input?: Record<string, unknown> }).input ?? {};
        const queries = input.MetricDataQueries as unknown[] | undefined;
        if (service === 'CloudWatch' && queries) counts.metricsRequested += queries.length;
        const out = await next(args);
        if (service === 'DynamoDB')
          counts.readUnits += readUnitsOf(opName(context).split('.')[1]!, input, out.output);
        return out;
      }) as never,
    { step: 'initialize', name: `countReads-${service}`, priority: 'high' },
  );
  stack.add(
    ((
        next: (args: { request: { body?: unknown } }) => Promise<unknown>,
        context: Record<string, unknown>,
      ) =>
      async (args: { request: { body?: unknown } }) => {
        const name = opName(context);
        add(counts.calls, name, 1);
        const body = args.request?.body;
        const bytes =
          typeof body === 'string'
            ? Buffer.byteLength(body)
            : body instanceof Uint8Array
              ? body.byteLength
              : 0;
        add(counts.bytes, name, bytes);
        // Writes: 1 unit per KB of the request (the item plus a little key and condition text).
        if (service === 'DynamoDB' && /^(PutItem|UpdateItem|DeleteItem)$/.test(name.split('.')[1]!))
          counts.writeUnits += Math.max(1, Math.ceil(bytes / 1024));
        return next(args);
      }) as never,
    { step: 'finalizeRequest', name: `countCalls-${service}`, priority: 'low' },
  );
}

type Batch = Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>;

/** The read units one DynamoDB call (`op`: "GetItem", "Query"…) cost, from its input and answer. */
export function readUnitsOf(
  op: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
): number {
  const units = (bytes: number, consistent: boolean) =>
    Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
  const consistent = input.ConsistentRead === true;
  if (op === 'Query' || op === 'Scan') return units(jsonBytes(output.Items ?? []), consistent);
  if (op === 'GetItem') return units(output.Item ? jsonBytes(output.Item) : 0, consistent);
  if (op !== 'BatchGetItem') return 0;
  const asked = (input.RequestItems ?? {}) as Batch;
  const answered = (output.Responses ?? {}) as Record<string, unknown[]>;
  const unprocessed = (output.UnprocessedKeys ?? {}) as Batch;
  let n = 0;
  for (const [table, req] of Object.entries(asked)) {
    const strong = req.ConsistentRead === true;
    const items = answered[table] ?? [];
    for (const item of items) n += units(jsonBytes(item), strong);
    const missing =
      (req.Keys?.length ?? 0) - items.length - (unprocessed[table]?.Keys?.length ?? 0);
    n += Math.max(0, missing) * units(0, strong);
  }
  return n;
}

/** Calls of one operation ("DynamoDB.PutItem"), or of every operation of a service ("DynamoDB"). */
export function callsOf(counts: CallCounts, key: string): number {
  let n = 0;
  for (const [name, calls] of counts.calls)
    if (name === key || name.startsWith(`${key}.`)) n += calls;
  return n;
}

export function bytesOf(counts: CallCounts, key: string): number {
  let n = 0;
  for (const [name, bytes] of counts.bytes)
    if (name === key || name.startsWith(`${key}.`)) n += bytes;
  return n;
}
