// The soak's stand-in for a stream event source mapping: like Lambda, it takes an answer naming a
// record that is not in the batch as a failure of the whole batch, and counts it. Before, such an
// answer counted as done, so a consumer that mixed up two batches' failures lost records silently.
import { describe, expect, it } from 'vitest';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { StreamDelivery, type StreamHandler } from '../../../bench/soak/stream-delivery';

/** One shard holding `records`, read once. */
function streamOf(records: object[]): DynamoDBStreamsClient {
  let read = false;
  return {
    send: async (command: object) => {
      const name = command.constructor.name;
      if (name === 'DescribeStreamCommand')
        return { StreamDescription: { Shards: [{ ShardId: 's1' }] } };
      if (name === 'GetShardIteratorCommand') return { ShardIterator: 'it' };
      const page = read ? [] : records;
      read = true;
      return { Records: page, NextShardIterator: 'it' };
    },
  } as unknown as DynamoDBStreamsClient;
}

const sample = (seq: string) => ({
  eventID: `e${seq}`,
  eventName: 'INSERT',
  dynamodb: {
    Keys: { pk: { S: 'SVC#web' }, sk: { S: `SAMPLE#${seq}` } },
    NewImage: { kind: { S: 'sample' } },
    SequenceNumber: seq,
  },
});

describe('the soak’s stream delivery', () => {
  it('retries a batch whose answer names a record not in it, and counts that answer', async () => {
    const seen: string[] = [];
    const handler: StreamHandler = async (event) => {
      const records = (event as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records;
      seen.push(records.map((r) => r.dynamodb.SequenceNumber).join(','));
      // The first answer names another batch's record; every later one reports success.
      return { batchItemFailures: seen.length === 1 ? [{ itemIdentifier: '999' }] : [] };
    };
    const delivery = new StreamDelivery(streamOf([sample('1'), sample('2')]), 'arn:stream', [
      { name: 'watch', patterns: [{}], handler },
    ]);

    await delivery.drain(1, 1);

    expect(delivery.stats.foreignFailureIds).toEqual([{ consumer: 'watch', ids: ['999'] }]);
    // Three deliveries of the batch, the first one retried whole.
    expect(seen).toEqual(['1,2', '1,2', '1,2', '1,2']);
  });
});
