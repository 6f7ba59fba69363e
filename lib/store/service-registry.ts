// The services to watch: those declared in config/services.json, plus (overriding them) those
// registered at runtime through the API and stored in the table.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { serviceSchema, type Service } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { gsi1Kind, serviceKey, stripStorage } from './keys';
import type { Table } from './table';

export class ConfiguredServiceRegistry implements ServiceRegistry {
  constructor(
    private readonly declared: readonly Service[],
    private readonly table: Table,
  ) {}

  async list(): Promise<Service[]> {
    const registered = await this.table.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': gsi1Kind.service },
    });
    const byId = new Map(this.declared.map((s) => [s.id, s]));
    for (const item of registered) {
      const s = serviceSchema.parse(stripStorage(item));
      byId.set(s.id, s);
    }
    return [...byId.values()];
  }

  /** One item read: the stream consumers ask for one service per record. */
  async get(id: string): Promise<Service | null> {
    const out = await this.table.send(
      new GetCommand({ TableName: this.table.name, Key: serviceKey(id) }),
    );
    if (out.Item) return serviceSchema.parse(stripStorage(out.Item));
    return this.declared.find((s) => s.id === id) ?? null;
  }
}
