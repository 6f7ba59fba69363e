// Detector models in the single table: one item per service (sk MODELS) holding every series' model
// and the read cadence's memory, as bytes (lib/store/binary-value.ts), written only over the
// version that was read, so two collectors never overwrite each other's learning. One write per
// service per tick, not one per series. Items of the older layout (one per series, sk
// MODEL#<metric>) are read when a service has no MODELS item yet, folded into its first save, and
// then deleted. The container keeps the models it decoded or saved (lib/store/models-cache.ts): a
// tick that reads back its own last write skips the decoding. Bodies of the JSON formats of before
// (gzip, then brotli) still load, and are written as binary at their next save.
import { randomFillSync } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CadenceMemory } from '../../src/collection/read-cadence';
import { unpackState } from '../../src/detection';
import { ConflictError } from '../../src/errors';
import type { ModelRecord, ModelStore, ServiceModels } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { BinaryValueError, decodeValue, encodeValue } from './binary-value';
import { modelsSk, servicePk, skPrefix } from './keys';
import { DecodedModelsCache } from './models-cache';
import type { Table } from './table';

/** BatchGetItem's limit. */
const MAX_KEYS_PER_BATCH = 100;
/** Unprocessed keys (throttling) are asked again this many times before the load fails. */
const MAX_BATCH_ROUNDS = 5;

interface StoredBody {
  series: Record<string, { v: number; s: unknown }>;
  cadence: CadenceMemory | null;
}

/**
 * The body's first byte since session 11: the models as bytes (lib/store/binary-value.ts), no JSON,
 * no base-64. Never the first byte of a body written before: gzip streams start 1f 8b, and a brotli
 * stream's first bits are its window size, 1 000 100 (low bit first) the one code the format leaves
 * invalid (session 10's quality 1 streams start 03, 13 or 83: below quality 2 the encoder uses a
 * 2^18 window whatever it is asked for).
 */
export const BINARY_BODY = 0x91;
/** The second byte: the binary layout's version. */
const BINARY_VERSION = 1;
/** Every gzip stream starts 1f 8b. */
const GZIP_MAGIC = 0x1f;

/**
 * Not compressed: the binary body of a six-series item is ~9.7 KB against ~7.7 KB for session 10's
 * packed JSON in brotli, about 2 more write units a save (~$0.05 a hot service-month), while
 * brotli would double the save's CPU time (docs/benchmarks/detect-speed.md, session 11).
 */
export function encodeModels(models: Omit<ServiceModels, 'version'>): Uint8Array {
  const series: StoredBody['series'] = {};
  for (const r of models.series) series[r.metric] = { v: r.version, s: r.state };
  return encodeValue({ series, cadence: models.cadence }, [BINARY_BODY, BINARY_VERSION]);
}

/** The body's models: binary (now), or JSON in brotli (session 10) or gzip (before). */
function storedBody(raw: Uint8Array): StoredBody {
  if (raw.length === 0) throw new BinaryValueError('empty body');
  if (raw[0] === BINARY_BODY) {
    if (raw[1] === BINARY_VERSION) return decodeValue(raw, 2) as StoredBody;
    throw new BinaryValueError(`unknown binary version ${raw[1]}`);
  }
  // JSON bodies of before: read as they are, rewritten as binary at their next save.
  let json: Buffer;
  try {
    json = raw[0] === GZIP_MAGIC ? gunzipSync(raw) : brotliDecompressSync(raw);
  } catch (err) {
    throw new BinaryValueError(`neither binary, gzip nor brotli (first byte ${raw[0]})`, err);
  }
  const body = JSON.parse(json.toString('utf8')) as StoredBody;
  // Number lists packed by the state codec (sessions 9-10), or plain before: unpacked in place.
  for (const metric in body.series) body.series[metric]!.s = unpackState(body.series[metric]!.s);
  return body;
}

export function decodeModels(item: Record<string, unknown>): ServiceModels {
  const body = storedBody(item.body as Uint8Array);
  return {
    version: Number(item.version),
    series: Object.entries(body.series).map(([metric, x]) => ({
      metric,
      state: x.s,
      version: x.v,
    })),
    cadence: body.cadence ?? null,
  };
}

/** Random bytes of a write token: 96 bits, so two writes of one service never share one. */
const TOKEN_BYTES = 12;
/** Random bytes for 256 tokens, drawn at once from the system's CSPRNG and each used once: the same
 *  tokens one draw per save would give, without a call into the generator on every save. */
const tokenPool = Buffer.alloc(TOKEN_BYTES * 256);
let tokenAt = tokenPool.length;

/** Written with every save: which write the item holds (a version alone may be another's). */
export function writeToken(): string {
  if (tokenAt >= tokenPool.length) {
    randomFillSync(tokenPool);
    tokenAt = 0;
  }
  const token = tokenPool.toString('base64url', tokenAt, tokenAt + TOKEN_BYTES);
  tokenAt += TOKEN_BYTES;
  return token;
}

export class DynamoModelStore implements ModelStore {
  constructor(
    private readonly table: Table,
    private readonly cache = new DecodedModelsCache(),
  ) {}

  async loadModels(serviceId: string): Promise<ModelRecord[]> {
    return (await this.loadServiceModels([serviceId])).get(serviceId)!.series;
  }

  async loadServiceModels(serviceIds: readonly string[]): Promise<Map<string, ServiceModels>> {
    const found = new Map<string, ServiceModels>();
    const ids = [...new Set(serviceIds)];
    for (let i = 0; i < ids.length; i += MAX_KEYS_PER_BATCH) {
      let keys: Record<string, unknown>[] = ids
        .slice(i, i + MAX_KEYS_PER_BATCH)
        .map((id) => ({ pk: servicePk(id), sk: modelsSk }));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= MAX_BATCH_ROUNDS)
          throw new Error(`models of ${keys.length} service(s) not read after ${round} rounds`);
        const out = await this.table.send(
          // Consistent: a stale model is a certain conflict on save (and a re-run of the tick).
          new BatchGetCommand({
            RequestItems: { [this.table.name]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of out.Responses?.[this.table.name] ?? []) {
          const id = String(item.serviceId);
          found.set(id, this.cache.read(id, item, decodeModels));
        }
        keys = (out.UnprocessedKeys?.[this.table.name]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    const result = new Map<string, ServiceModels>();
    for (const id of ids) result.set(id, found.get(id) ?? (await this.legacyModels(id)));
    return result;
  }

  async saveServiceModels(
    serviceId: string,
    models: Omit<ServiceModels, 'version'>,
    expectedVersion: number,
  ): Promise<void> {
    const token = writeToken();
    // Whatever happens to this write, what the container kept may no longer be the item.
    this.cache.forget(serviceId);
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            pk: servicePk(serviceId),
            sk: modelsSk,
            kind: 'model',
            serviceId,
            metrics: models.series.map((r) => r.metric),
            body: encodeModels(models),
            version: expectedVersion + 1,
            writer: token,
          },
          ConditionExpression:
            expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ExpressionAttributeValues:
            expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      // The item holding this write's token is this write, landed by an attempt whose answer was
      // lost before the SDK sent it again: saved (a conflict would run the service's tick again).
      if (!(await this.holdsWrite(serviceId, token))) {
        throw new ConflictError(`models of ${serviceId} changed since version ${expectedVersion}`);
      }
    }
    this.cache.keep(serviceId, token, {
      version: expectedVersion + 1,
      series: models.series,
      cadence: models.cadence,
    });
    if (expectedVersion === 0) await this.deleteLegacy(serviceId);
  }

  private async holdsWrite(serviceId: string, token: string): Promise<boolean> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: modelsSk },
        ProjectionExpression: 'writer',
        ConsistentRead: true,
      }),
    );
    return out.Item?.writer === token;
  }

  /** One series saved over the version it was read at, the others kept as they are. */
  async saveModel(serviceId: string, metric: string, state: unknown, expectedVersion: number) {
    const current = (await this.loadServiceModels([serviceId])).get(serviceId)!;
    const previous = current.series.find((r) => r.metric === metric);
    if ((previous?.version ?? 0) !== expectedVersion)
      throw new ConflictError(
        `model ${serviceId}/${metric} changed since version ${expectedVersion}`,
      );
    await this.saveServiceModels(
      serviceId,
      {
        series: [
          ...current.series.filter((r) => r.metric !== metric),
          { metric, state, version: expectedVersion + 1 },
        ],
        cadence: current.cadence,
      },
      current.version,
    );
  }

  /** The MODELS item as it is now (or null), for a read-modify-write under its version. */
  async current(serviceId: string): Promise<ServiceModels | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: modelsSk },
        ConsistentRead: true,
      }),
    );
    return out.Item ? this.cache.read(serviceId, out.Item, decodeModels) : null;
  }

  /** Per-series items of the older layout: version 0, so the first save creates the MODELS item. */
  private async legacyModels(serviceId: string): Promise<ServiceModels> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.model },
    });
    return {
      version: 0,
      series: items.map((i) => ({
        metric: String(i.metric),
        state: JSON.parse(String(i.state)),
        version: Number(i.version),
      })),
      cadence: null,
    };
  }

  /**
   * After the MODELS item was created, the per-series items it folded in go. Nothing writes them any
   * more, so the only condition that matters is that they are still there.
   */
  private async deleteLegacy(serviceId: string): Promise<void> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.model },
      ProjectionExpression: 'pk, sk',
    });
    for (const item of items) {
      try {
        await this.table.send(
          new DeleteCommand({
            TableName: this.table.name,
            Key: { pk: item.pk, sk: item.sk },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
    }
  }
}
