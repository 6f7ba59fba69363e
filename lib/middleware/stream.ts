// The middy stack of DynamoDB stream consumers: each record handled alone, failures reported as
// partial batch failures so only the failing record is retried and then sent to the DLQ.
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import { logger } from '../logger';
import { streamImage, type StreamImage } from '../store/stream-image';

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
