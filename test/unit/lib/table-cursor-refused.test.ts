// DynamoDB refuses a start key whose sort key lies outside the query's key condition
// (ValidationException, "The provided starting key does not match the range key predicate"); moto
// does not, so a stand-in endpoint speaks DynamoDB's JSON protocol with that answer. A cursor that
// passed every check of its own and still names such a key is the caller's fault: a 400 naming
// `cursor`, not a 503 "a backing service is unavailable" that invites a retry.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../../lib/aws/errors';
import { encodeCursor, queryFingerprint, type PagedQuery } from '../../../lib/store/page-cursor';
import { Table } from '../../../lib/store/table';
import { ValidationError } from '../../../src/errors';

let server: Server;
let table: Table;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.statusCode = 400;
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(
      JSON.stringify({
        __type: 'com.amazon.coral.validate#ValidationException',
        message: 'The provided starting key does not match the range key predicate',
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  table = new Table(DynamoDBDocumentClient.from(client), 'vigia-test', endpoint);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const decisions: PagedQuery = {
  index: 'gsi1',
  keyCondition: 'gsi1pk = :k AND gsi1sk BETWEEN :from AND :to',
  values: { ':k': 'DECISION', ':from': '2026-03-02', ':to': '2026-03-03' },
};

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('a listing page DynamoDB refuses', () => {
  it('is the cursor at fault when the page resumes from one: a 400 naming cursor', async () => {
    const cursor = encodeCursor(
      { pk: 'SVC#web', sk: 'D#1999', gsi1pk: 'DECISION', gsi1sk: '1999-01-01' },
      queryFingerprint(decisions),
    );

    const err = await failure(() => table.queryPage(decisions, { limit: 2, cursor }));

    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toBe(
      'query is invalid: cursor: not a cursor from this listing',
    );
  });

  it('is still the table failing when there is no cursor', async () => {
    const err = await failure(() => table.queryPage(decisions, { limit: 2 }));

    expect(err).toBeInstanceOf(AwsAdapterError);
    expect((err as Error).message).toContain('ValidationException');
  });
});
