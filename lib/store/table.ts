// The single table as every store uses it: one error mapping for every call (conditional-check
// failures and cancelled transactions pass through for the caller to judge; anything else names the
// table and endpoint), every page of a query, and cursor pages that are never short with a cursor.
import {
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type DynamoDBDocumentClientCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { awsError, isConditionalCheckFailed, isTransactionCancelled } from '../aws/errors';
import {
  decodeCursor,
  encodeCursor,
  foreignCursor,
  itemKey,
  queryFingerprint,
  type Page,
  type PageRequest,
  type PagedQuery,
} from './page-cursor';

export type Item = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command of the document client
type DocumentCommand = DynamoDBDocumentClientCommand<any, any, any, any, any>;

/** What a command answers: read off its middleware handler, as the client's own send does. */
type OutputOf<C> = C extends {
  resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }>;
}
  ? O
  : never;

export class Table {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
    readonly endpoint: string | undefined,
  ) {}

  async send<C extends DocumentCommand>(command: C): Promise<OutputOf<C>> {
    try {
      return (await this.db.send(command)) as OutputOf<C>;
    } catch (err) {
      if (isTransactionCancelled(err)) throw err;
      throw awsError(err, `DynamoDB table '${this.name}'`, this.endpoint);
    }
  }

  /** A put that only creates: false when the item was there already. */
  async create(item: Item): Promise<boolean> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** Every page of a query (or, with input.Limit, pages until at least that many items). */
  async queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.send(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey;
      if (input.Limit && items.length >= input.Limit) break;
    } while (startKey);
    return items;
  }

  /**
   * A query whose start key came from a caller's cursor: DynamoDB refusing that key
   * (ValidationException: its sort key outside the key condition) is the cursor's fault, a 400.
   */
  private async sendQuery(startsAtCursor: boolean, command: QueryCommand) {
    try {
      return await this.send(command);
    } catch (err) {
      const cause = (err as { cause?: { name?: string } }).cause;
      if (startsAtCursor && cause?.name === 'ValidationException') throw foreignCursor();
      throw err;
    }
  }

  /** One page of at most page.limit items: a page that carries a cursor is always full. */
  async queryPage(q: PagedQuery, page: PageRequest): Promise<Page<Item>> {
    const f = queryFingerprint(q);
    const cursorKey = page.cursor ? decodeCursor(page.cursor, q) : undefined;
    let startKey: Item | undefined = cursorKey;
    const items: Item[] = [];
    let more = true;
    let dropped = false;
    while (items.length < page.limit && more) {
      const out = await this.sendQuery(
        startKey !== undefined && startKey === cursorKey,
        new QueryCommand({
          TableName: this.name,
          IndexName: q.index,
          KeyConditionExpression: q.keyCondition,
          FilterExpression: q.filter,
          ExpressionAttributeNames: q.names,
          ExpressionAttributeValues: q.values,
          ScanIndexForward: q.forward ?? false,
          ExclusiveStartKey: startKey,
          // A filter discards items after the limit is applied: read more to fill the page.
          Limit: q.filter ? Math.max(page.limit * 4, 50) : page.limit - items.length,
        }),
      );
      for (const item of (out.Items ?? []) as Item[]) {
        if (items.length < page.limit) items.push(item);
        else dropped = true;
      }
      startKey = out.LastEvaluatedKey;
      more = startKey !== undefined;
    }
    // The next page starts after the last item returned (not DynamoDB's own key, which may lie past
    // items a filter let through but the limit cut off).
    const last = items[items.length - 1];
    const full = items.length === page.limit;
    return {
      items,
      nextCursor:
        last && full && (more || dropped) ? encodeCursor(itemKey(last, q.index), f) : null,
    };
  }
}
