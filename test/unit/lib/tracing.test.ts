// X-Ray tracing (issue 16 part 4): every SDK client goes through the tracer once, when it is built,
// and the middy stacks ask the tracer around the handler; off AWS the tracer is off and the
// client comes back as it was.
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ecsClient } from '../../../lib/aws/ecs-client';
import { snsClient } from '../../../lib/aws/sns-client';
import { httpHandler } from '../../../lib/middleware/http';
import { tracer } from '../../../lib/telemetry/tracer';

const context = { functionName: 'vigia-test', awsRequestId: 'r' } as unknown as Context;

afterEach(() => vi.restoreAllMocks());

describe('tracing', () => {
  it('captures each SDK client once, when it is built', () => {
    const capture = vi.spyOn(tracer, 'captureAWSv3Client');
    const settings = { region: 'us-east-1', endpoint: 'http://tracing-test.invalid:1' };

    const ecs = ecsClient(settings);
    const sns = snsClient(settings);
    ecsClient(settings);

    expect(capture.mock.calls.map(([client]) => client)).toEqual([ecs, sns]);
  });

  it('is off outside Lambda, and leaves the clients untouched', () => {
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('wraps the handler of a middy stack', async () => {
    const asked = vi.spyOn(tracer, 'isTracingEnabled');
    const handler = httpHandler(async () => ({ statusCode: 204, body: '' }));

    expect(await handler({} as never, context)).toMatchObject({ statusCode: 204 });
    expect(asked).toHaveBeenCalled();
  });
});
