import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { alertInputOf } from '../../../functions/notify';
import { streamImage } from '../../../lib/store/stream-image';

const firstRecord = (name: string) =>
  (JSON.parse(readFileSync(`events/${name}`, 'utf8')) as { Records: DynamoDBRecord[] }).Records[0]!;

describe('what notify hears from the stream', () => {
  it('turns a verified decision into a recovery note: what was done, and whether it worked', () => {
    const input = alertInputOf(
      streamImage(firstRecord('dynamodb-stream.modify-decision-verified.json')),
    );

    expect(input).toMatchObject({
      kind: 'outcome',
      outcome: { serviceId: 'web', verdict: expect.stringMatching(/resolved|not-resolved|worse/) },
    });
  });

  it('ignores a decision update that changed nothing a person cares about', () => {
    const record = firstRecord('dynamodb-stream.modify-decision-executed.json');
    record.dynamodb!.OldImage = record.dynamodb!.NewImage;

    expect(alertInputOf(streamImage(record))).toBeNull();
  });

  it('hears a new anomaly', () => {
    expect(
      alertInputOf(streamImage(firstRecord('dynamodb-stream.insert-anomaly.json')))?.kind,
    ).toBe('anomaly');
  });
});
