// The services to watch: those declared in config/services.json, plus (overriding them) those
// registered at runtime through the API and stored in the table.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serviceSchema, type Service } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { awsError } from '../aws/errors';
import { stripStorage } from './keys';

export class ConfiguredServiceRegistry implements ServiceRegistry {
  constructor(
    private readonly declared: readonly Service[],
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly endpoint?: string,
  ) {}

  async list(): Promise<Service[]> {
    const registered = await this.registered();
    const byId = new Map(this.declared.map((s) => [s.id, s]));
    for (const s of registered) byId.set(s.id, s);
    return [...byId.values()];
  }

  async get(id: string): Promise<Service | null> {
    return (await this.list()).find((s) => s.id === id) ?? null;
  }

  private async registered(): Promise<Service[]> {
    const out = await this.db
      .send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :kind',
          ExpressionAttributeValues: { ':kind': 'SERVICE' },
        }),
      )
      .catch((err) => {
        throw awsError(err, `DynamoDB table '${this.table}'`, this.endpoint);
      });
    return (out.Items ?? []).map((i) => serviceSchema.parse(stripStorage(i)));
  }
}
