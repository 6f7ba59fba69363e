// A service's items of one kind from a time on: their sort keys start with the kind's prefix and
// then the time, so one key-range query reads them oldest first.
import { servicePk } from './keys';
import type { Item, Table } from './table';

export function itemsSince(
  table: Table,
  serviceId: string,
  prefix: string,
  since: Date,
  consistent = false,
): Promise<Item[]> {
  return table.queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': servicePk(serviceId),
      ':from': `${prefix}${since.toISOString()}`,
      ':to': `${prefix}~`,
    },
    ConsistentRead: consistent,
  });
}
