// The two things every DynamoDB repository here does the same way: turn SDK failures into errors that
// name the table and endpoint (conditional-check failures and cancelled transactions pass through for
// the caller to judge), and read every page of a query.
import {
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { awsError, isTransactionCancelled } from '../aws/errors';

export async function sendToTable<T>(
  table: string,
  endpoint: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isTransactionCancelled(err)) throw err;
    throw awsError(err, `DynamoDB table '${table}'`, endpoint);
  }
}

/** Every page of a query (or, with input.Limit, pages until at least that many items). */
export async function queryAllItems(
  db: DynamoDBDocumentClient,
  table: string,
  endpoint: string | undefined,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await sendToTable(table, endpoint, () =>
      db.send(new QueryCommand({ ...input, TableName: table, ExclusiveStartKey: startKey })),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
    if (input.Limit && items.length >= input.Limit) break;
  } while (startKey);
  return items;
}
