// One correlation id from anomaly to decision to action: every log line a stream consumer writes
// about a record names the anomaly its chain began with (lib/logger.ts correlationIdOf).
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { correlationIdOf, logger } from '../../../lib/logger';
import { streamHandler } from '../../../lib/middleware/stream';
import { aDecision, anAnomaly } from '../../support/builders';

function record(eventID: string, item: Record<string, unknown>): DynamoDBRecord {
  const keys = { pk: { S: `SVC#${String(item.serviceId)}` }, sk: { S: `X#${eventID}` } };
  return {
    eventID,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: keys,
      NewImage: marshall(
        { ...item, pk: keys.pk.S, sk: keys.sk.S },
        { removeUndefinedValues: true },
      ),
      SequenceNumber: eventID,
    },
  } as DynamoDBRecord;
}

const anomaly = anAnomaly();
const decision = aDecision({ anomalyId: anomaly.id });

describe('correlation ids', () => {
  it('are the anomaly’s id for the anomaly and for the decisions taken on it', () => {
    expect(correlationIdOf({ kind: 'anomaly', ...anomaly })).toBe(anomaly.id);
    expect(correlationIdOf({ kind: 'decision', ...decision })).toBe(anomaly.id);
    expect(correlationIdOf({ kind: 'sample', serviceId: 'web' })).toBeNull();
  });

  it('are in the logger while a stream consumer handles each record, and only that record', async () => {
    const seen: unknown[] = [];
    const handler = streamHandler(
      async () => {
        seen.push(logger.getCorrelationId());
      },
      {
        heartbeat: {
          store: () => ({ recordRun: async () => {}, functionHeartbeats: async () => [] }),
          name: () => 'decide',
        },
      },
    );

    await handler(
      {
        Records: [
          record('1', { kind: 'anomaly', ...anomaly }),
          record('2', { kind: 'sample', serviceId: 'web', at: anomaly.at }),
          record('3', { kind: 'decision', ...decision }),
        ],
      },
      { functionName: 'vigia-dev-decide', awsRequestId: 't' } as Context,
    );

    expect(seen).toEqual([anomaly.id, undefined, anomaly.id]);
  });
});
