// The middy stack of DynamoDB stream consumers: each record handled alone, failures reported as
// partial batch failures so only the failing record is retried and then sent to the DLQ.
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import { logger } from '../logger';
import { stripStorage } from '../store/keys';

export interface StreamImage {
  kind: string;
  eventName: string;
  eventId: string;
  newImage: Record<string, unknown>;
  oldImage: Record<string, unknown> | null;
}

/** Reads a stream record's images as plain objects without the storage attributes. */
export function streamImage(record: DynamoDBRecord): StreamImage {
  const raw = record.dynamodb?.NewImage;
  if (!raw)
    throw new Error(
      `stream record ${record.eventID ?? '?'} has no NewImage (was the stream view type changed?)`,
    );
  const newImage = unmarshall(raw as Record<string, AttributeValue>);
  const old = record.dynamodb?.OldImage;
  return {
    kind: String(newImage.kind ?? ''),
    eventName: record.eventName ?? '',
    eventId: record.eventID ?? '',
    newImage: stripStorage(newImage),
    oldImage: old ? stripStorage(unmarshall(old as Record<string, AttributeValue>)) : null,
  };
}

export function streamHandler(
  handleRecord: (image: StreamImage, record: DynamoDBRecord) => Promise<void>,
) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const recordHandler = async (record: DynamoDBRecord) => {
    try {
      await handleRecord(streamImage(record), record);
    } catch (err) {
      logger.error('stream record failed', {
        eventId: record.eventID,
        keys: record.dynamodb?.Keys,
        error: err as Error,
      });
      throw err;
    }
  };
  const run = async (
    event: DynamoDBStreamEvent,
    context: Context,
  ): Promise<DynamoDBBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context });
  return middy(run).use(injectLambdaContext(logger, { resetKeys: true }));
}
