// A DynamoDB stream record read as the table's items: both images unmarshalled to plain objects
// without the storage attributes (keys, kind, TTL), so consumers see domain data only.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { stripStorage } from './keys';

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

/** The item partition a record belongs to (`SVC#<id>` for everything of one service). */
export function partitionOf(record: DynamoDBRecord): string {
  return record.dynamodb?.Keys?.pk?.S ?? record.eventID ?? '';
}
