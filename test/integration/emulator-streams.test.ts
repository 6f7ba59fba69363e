// The local emulator's table stream keeps flowing after a cancelled transaction, as DynamoDB's does.
// moto alone stalls every open shard iterator then (scripts/lib/moto-server.py repairs it), which
// froze serverless offline's stream consumers after, say, a retried manual action.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { expect, it } from 'vitest';
import { localCredentials } from '../../scripts/lib/local-stack';
import { freshLocalStack, localAdapters } from '../support/local-aws';

it('delivers records written after a cancelled transaction, and none of the rolled-back write', async () => {
  // Prepare: a consumer holding a LATEST iterator, as the stream plugin does.
  const stack = await freshLocalStack();
  const { aws } = localAdapters(stack.endpoint, stack.tableName);
  const streams = new DynamoDBStreamsClient({
    endpoint: stack.endpoint,
    region: 'us-east-1',
    credentials: localCredentials,
  });
  const table = await aws.dynamo.send(new DescribeTableCommand({ TableName: stack.tableName }));
  const stream = await streams.send(
    new DescribeStreamCommand({ StreamArn: table.Table!.LatestStreamArn! }),
  );
  const iterator = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: table.Table!.LatestStreamArn!,
      ShardId: stream.StreamDescription!.Shards![0]!.ShardId!,
      ShardIteratorType: 'LATEST',
    }),
  );
  const put = (sk: string) => ({
    Put: {
      TableName: stack.tableName,
      Item: { pk: 'TEST', sk, kind: 'test' },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  await aws.dynamo.send(new TransactWriteCommand({ TransactItems: [put('a')] }));
  // Act: a transaction that fails on its second item, then an ordinary write.
  await expect(
    aws.dynamo.send(new TransactWriteCommand({ TransactItems: [put('b'), put('a')] })),
  ).rejects.toThrow();
  await aws.dynamo.send(
    new PutCommand({ TableName: stack.tableName, Item: { pk: 'TEST', sk: 'c', kind: 'test' } }),
  );
  // Assess
  const records = await streams.send(
    new GetRecordsCommand({ ShardIterator: iterator.ShardIterator! }),
  );
  expect(records.Records!.map((r) => r.dynamodb!.Keys!.sk!.S)).toEqual(['a', 'c']);
});
