// Services registered or overridden at runtime through the API (SPEC C1). Items carry a version;
// every write is conditional on it, so two operators editing one service cannot silently collide.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../src/errors';
import { serviceSchema, type Service } from '../../src/model';
import { isConditionalCheckFailed } from '../aws/errors';
import { digest } from './content-digest';
import { serviceGsi1, serviceKey, stripStorage } from './keys';
import type { Table } from './table';

export interface StoredService {
  service: Service;
  version: number;
  updatedAt: string;
}

export class ServiceStore {
  constructor(private readonly table: Table) {}

  async get(id: string): Promise<StoredService | null> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: serviceKey(id), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    return {
      service: serviceSchema.parse(stripStorage(out.Item)),
      version: Number(out.Item.version ?? 1),
      updatedAt: String(out.Item.recordedAt ?? ''),
    };
  }

  /**
   * Writes the service. expectedVersion null: only if no item exists (a new service, or the first
   * override of a declared one); a number: only if the item is still at that version.
   */
  async put(service: Service, expectedVersion: number | null, now: Date): Promise<number> {
    const version = (expectedVersion ?? 0) + 1;
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...serviceKey(service.id),
            ...serviceGsi1(service.id),
            kind: 'service',
            ...service,
            version,
            recordedAt: now.toISOString(),
          },
          ConditionExpression:
            expectedVersion === null ? 'attribute_not_exists(pk)' : '#v = :expected',
          ExpressionAttributeNames: expectedVersion === null ? undefined : { '#v': 'version' },
          ExpressionAttributeValues:
            expectedVersion === null ? undefined : { ':expected': expectedVersion },
        }),
      );
      return version;
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        if (await this.holdsOwnWrite(service, version, now)) return version;
        throw new ConflictError(
          expectedVersion === null
            ? `service '${service.id}' already exists`
            : `service '${service.id}' changed since version ${expectedVersion}`,
        );
      }
      throw err;
    }
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    try {
      await this.table.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: serviceKey(id),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) {
        // Gone: this request's own delete, whose answer was lost before the SDK sent it again (or
        // another delete of it). Either way what the caller asked for holds; a newer item conflicts.
        if ((await this.get(id)) === null) return;
        throw new ConflictError(`service '${id}' changed since version ${expectedVersion}`);
      }
      throw err;
    }
  }

  /**
   * The item holds exactly what this put wrote (the version it made, at this request's time, the
   * same service): the write landed and its answer was lost, and the SDK's second attempt failed
   * its condition on it. Done, not a conflict (it was a false 409 under faults).
   */
  private async holdsOwnWrite(service: Service, version: number, now: Date): Promise<boolean> {
    const stored = await this.get(service.id);
    return (
      stored !== null &&
      stored.version === version &&
      stored.updatedAt === now.toISOString() &&
      digest(stored.service) === digest(service)
    );
  }
}
