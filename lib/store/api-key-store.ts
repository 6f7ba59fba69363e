// API keys (SPEC A6): only the sha256 of a high-entropy key is stored; the key itself is shown once,
// at creation. Lookup is by hash, and the stored hash is compared again in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { isConditionalCheckFailed } from '../aws/errors';
import { apiKeyGsi1, apiKeyKey, gsi1Kind } from './keys';
import type { Table } from './table';

export const apiScopeSchema = z.enum(['read', 'operate', 'admin']);
export type ApiScope = z.infer<typeof apiScopeSchema>;

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  scopes: ApiScope[];
  createdAt: string;
  revokedAt: string | null;
  /** Requests per minute for this key; null means the API's default. */
  rateLimitPerMinute: number | null;
}

const recordSchema = z.object({
  keyId: z.string(),
  name: z.string(),
  scopes: z.array(apiScopeSchema),
  createdAt: z.string(),
  revokedAt: z.string().nullable().default(null),
  rateLimitPerMinute: z.number().int().positive().nullable().default(null),
  keyHash: z.string(),
});

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `vk_` + 256 random bits, base64url: long enough that a plain sha256 is a safe stored form. */
export function generateApiKey(): string {
  return `vk_${randomBytes(32).toString('base64url')}`;
}

export class ApiKeyStore {
  constructor(private readonly table: Table) {}

  async create(input: {
    name: string;
    scopes: ApiScope[];
    now: Date;
    rateLimitPerMinute?: number | null;
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = generateApiKey();
    const keyHash = hashApiKey(key);
    const record: ApiKeyRecord = {
      keyId: randomBytes(6).toString('hex'),
      name: input.name,
      scopes: [...new Set(input.scopes)],
      createdAt: input.now.toISOString(),
      revokedAt: null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    };
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...apiKeyKey(keyHash),
            ...apiKeyGsi1(record.keyId),
            kind: 'apikey',
            keyHash,
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      // The key is 256 random bits: an item under its hash with this key id is this write, landed
      // by an attempt whose answer was lost before the SDK sent it again. Thrown, the key (stored
      // only as its hash) would be live and never shown.
      if (!isConditionalCheckFailed(err) || (await this.item(keyHash))?.keyId !== record.keyId) {
        throw err;
      }
    }
    return { key, record };
  }

  private async item(keyHash: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: apiKeyKey(keyHash), ConsistentRead: true }),
    );
    return out.Item;
  }

  /** The key's record when the key is known and not revoked, else null. */
  async authenticate(key: string): Promise<ApiKeyRecord | null> {
    if (!/^vk_[A-Za-z0-9_-]{43}$/.test(key)) return null;
    const keyHash = hashApiKey(key);
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: apiKeyKey(keyHash) }),
    );
    if (!out.Item) return null;
    const parsed = recordSchema.safeParse(out.Item);
    if (!parsed.success) return null;
    const stored = Buffer.from(parsed.data.keyHash, 'hex');
    const given = Buffer.from(keyHash, 'hex');
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
    if (parsed.data.revokedAt) return null;
    return toRecord(parsed.data);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const items = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :k',
      ExpressionAttributeValues: { ':k': gsi1Kind.apiKey },
    });
    const out: ApiKeyRecord[] = [];
    for (const i of items) {
      const r = recordSchema.safeParse(i);
      if (r.success) out.push(toRecord(r.data));
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** False when no live key has this id. */
  async revoke(keyId: string, now: Date): Promise<boolean> {
    const [item] = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :k AND gsi1sk = :id',
      ExpressionAttributeValues: { ':k': gsi1Kind.apiKey, ':id': keyId },
      Limit: 1,
    });
    if (!item) return false;
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET revokedAt = :now',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(revokedAt) OR revokedAt = :null)',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':null': null },
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      // Revoked at this very instant: this call's own write, whose answer was lost before the SDK
      // sent it again, not a key that was no longer live.
      return (await this.item(String(item.keyHash)))?.revokedAt === now.toISOString();
    }
  }
}

function toRecord(r: z.infer<typeof recordSchema>): ApiKeyRecord {
  return {
    keyId: r.keyId,
    name: r.name,
    scopes: r.scopes,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    rateLimitPerMinute: r.rateLimitPerMinute,
  };
}
