// The services to watch: those declared in config/services.json, plus (overriding them) those
// registered at runtime through the API and stored in the table.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serviceSchema, type Service } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { serviceKey, stripStorage } from './keys';
import { queryAllItems, sendToTable } from './table-io';

export class ConfiguredServiceRegistry implements ServiceRegistry {
  constructor(
    private readonly declared: readonly Service[],
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  async list(): Promise<Service[]> {
    const registered = await queryAllItems(this.db, this.table, this.endpoint, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': 'SERVICE' },
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
    const out = await sendToTable(this.table, this.endpoint, () =>
      this.db.send(new GetCommand({ TableName: this.table, Key: serviceKey(id) })),
    );
    if (out.Item) return serviceSchema.parse(stripStorage(out.Item));
    return this.declared.find((s) => s.id === id) ?? null;
  }
}
