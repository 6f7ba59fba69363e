// Detector models in the single table: one item per service (sk MODELS) holding every series' model
// and the read cadence's memory, compressed, written only over the version that was read, so
// two collectors never overwrite each other's learning. One write per service per tick, not one per
// series. Items of the older layout (one per series, sk MODEL#<metric>) are read when a service has
// no MODELS item yet, folded into its first save, and then deleted. The container keeps the models
// it decoded or saved (lib/store/models-cache.ts): a tick that reads back its own last write skips
// the decoding.
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CadenceMemory } from '../../src/collection/read-cadence';
import { packState, unpackState } from '../../src/detection';
import { ConflictError } from '../../src/errors';
import type { ModelRecord, ModelStore, ServiceModels } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
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
 * Brotli at quality 1 and a 64 KB window: for a six-series item a third of gzip's CPU time (the
 * compression was the largest cost of a hot service's save) for ~5 % more bytes
 * (docs/benchmarks/detect-speed.md, session 10).
 */
const BROTLI_OPTIONS = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 16 },
};
/** Every gzip stream starts 1f 8b; a brotli stream with a 2^16 window starts with a 0 bit. */
const GZIP_MAGIC = 0x1f;

export function encodeModels(models: Omit<ServiceModels, 'version'>): Uint8Array {
  const body: StoredBody = {
    series: Object.fromEntries(
      models.series.map((r) => [r.metric, { v: r.version, s: packState(r.state) }]),
    ),
    cadence: models.cadence,
  };
  // Number lists packed as decimal codes (src/detection/state-codec.ts), the rest JSON; the
  // compression halves the item (and its write units).
  return brotliCompressSync(JSON.stringify(body), BROTLI_OPTIONS);
}

export function decodeModels(item: Record<string, unknown>): ServiceModels {
  const raw = item.body as Uint8Array;
  // Items saved before brotli are gzip: read as they are, rewritten at their next save.
  const json = raw[0] === GZIP_MAGIC ? gunzipSync(raw) : brotliDecompressSync(raw);
  const body = JSON.parse(json.toString('utf8')) as StoredBody;
  return {
    version: Number(item.version),
    series: Object.entries(body.series).map(([metric, x]) => ({
      metric,
      // A state saved before packing existed unpacks to itself.
      state: unpackState(x.s),
      version: x.v,
    })),
    cadence: body.cadence ?? null,
  };
}

/** Written with every save: which write the item holds (a version alone may be another's). */
function writeToken(): string {
  return randomBytes(12).toString('base64url');
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
      if (isConditionalCheckFailed(err)) {
        throw new ConflictError(`models of ${serviceId} changed since version ${expectedVersion}`);
      }
      throw err;
    }
    this.cache.keep(serviceId, token, {
      version: expectedVersion + 1,
      series: models.series,
      cadence: models.cadence,
    });
    if (expectedVersion === 0) await this.deleteLegacy(serviceId);
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
