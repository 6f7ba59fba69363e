// The soak's fault-injecting HTTP proxy between vigia's AWS clients and moto. A seeded share of the
// DynamoDB, ECS, CloudWatch and SNS calls is throttled (400 with each protocol's error shape),
// failed (500), delayed (some beyond the clients' timeout, before or after moto applied the call) or
// cut (socket destroyed, before or after moto applied it): the faults that make a caller retry
// something that may already have happened. It counts what reached moto and succeeded: ECS
// UpdateService calls per ECS service and SNS Publish payloads, the two effects people notice.
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Random } from './random';
import { WORK_HEADER } from './trace';

export type FaultKind =
  'throttle' | 'error' | 'delay' | 'delay-past-timeout' | 'cut-before' | 'cut-after';

export interface FaultProxyOptions {
  target: string;
  random: Random;
  /** Share of the faultable calls that get a fault (0…1). */
  faultRate: number;
  /** The clients' per-attempt timeout: a long delay exceeds it. */
  clientTimeoutMs: number;
  /** Called for each Publish moto accepted, with its MessageId: SNS delivers it to subscribers. */
  onPublish?: (p: PublishCall, messageId: string) => void;
  /**
   * A scripted fault for one call (`dynamodb:Query` and its body), before the random ones: tests
   * fail exactly the call they mean (a fleet query, one service's write), which moto never does.
   */
  scripted?: (op: string, body: string) => FaultKind | null;
}

export interface UpdateServiceCall {
  cluster: string;
  service: string;
  desiredCount: number | undefined;
  forceNewDeployment: boolean;
  taskDefinition: string | undefined;
  /** Whether the caller saw the answer (a cut or a long delay hides it). */
  answered: boolean;
  /** Which piece of the harness's work sent it (the trace header: `scale`, `sweep`, `verify`…). */
  by?: string;
  /** Wall milliseconds since the proxy started, when moto applied it. */
  wallMs?: number;
}

export interface PublishCall {
  message: string;
  attributes: Record<string, string>;
  answered: boolean;
}

const FAULTABLE = new Set(['dynamodb', 'ecs', 'monitoring', 'sns']);

/** `Credential=AKID/20261202/us-east-1/dynamodb/aws4_request` → dynamodb. */
function awsServiceOf(req: IncomingMessage): string {
  const m = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '');
  return m?.[1] ?? 'unknown';
}

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  return new URLSearchParams(body).get('Action') ?? 'unknown';
}

/** A throttle or server error in the shape the service's SDK protocol parses. */
function errorResponse(service: string, status: 400 | 500) {
  const throttle = status === 400;
  if (service === 'sns') {
    const code = throttle ? 'Throttling' : 'InternalError';
    return {
      type: 'text/xml',
      body: `<ErrorResponse><Error><Type>${throttle ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>injected by the soak proxy</Message></Error><RequestId>soak</RequestId></ErrorResponse>`,
      headers: {},
    };
  }
  const [code, type] =
    service === 'dynamodb'
      ? throttle
        ? ['com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', '1.0']
        : ['com.amazonaws.dynamodb.v20120810#InternalServerError', '1.0']
      : service === 'monitoring'
        ? [throttle ? 'Throttling' : 'InternalServiceFault', '1.0']
        : [throttle ? 'ThrottlingException' : 'ServerException', '1.1'];
  return {
    type: `application/x-amz-json-${type}`,
    body: JSON.stringify({ __type: code, message: 'injected by the soak proxy' }),
    // CloudWatch's JSON protocol is query-compatible: the SDK reads the code from this header.
    headers:
      service === 'monitoring'
        ? {
            'x-amzn-query-error': `${throttle ? 'Throttling;Sender' : 'InternalServiceFault;Receiver'}`,
          }
        : {},
  };
}

function publishOf(body: string, answered: boolean): PublishCall {
  const form = new URLSearchParams(body);
  const attributes: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes[form.get(`MessageAttributes.entry.${i}.Name`)!] =
      form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
  }
  return { message: form.get('Message') ?? '', attributes, answered };
}

/** A Query's index and partition kind (`gsi1:DECISION`, `table:SVC`), to tell who reads what. */
function queryShape(body: string): string {
  try {
    const q = JSON.parse(body) as {
      IndexName?: string;
      ExpressionAttributeValues?: Record<string, { S?: string }>;
    };
    const first = Object.values(q.ExpressionAttributeValues ?? {}).find((v) => v.S)?.S ?? '';
    return `${q.IndexName ?? 'table'}:${first.split('#')[0]}`;
  } catch {
    return '?';
  }
}

export class FaultProxy {
  readonly faults = new Map<string, number>();
  readonly calls = new Map<string, number>();
  readonly updateServiceCalls: UpdateServiceCall[] = [];
  readonly publishes: PublishCall[] = [];
  /** Wall milliseconds moto took to answer, per operation (the emulator's share of a run). */
  readonly motoMs = new Map<string, number>();
  /**
   * Per piece of work (the harness's trace header) and call: calls, moto's time, the delay this
   * proxy injected, and the faults it picked: where a consumer's wall time goes.
   */
  readonly byWork = new Map<
    string,
    { calls: number; motoMs: number; injectedMs: number; faults: Record<string, number> }
  >();
  /** Calls moto itself answered slower than the clients' timeout (a timeout nobody injected). */
  readonly slowAnswers = new Map<string, number>();
  /** Calls being answered now, per operation. */
  readonly inFlight = new Map<string, number>();
  /** While true every connection is refused with a reset: the emulator is "down". */
  outage = false;
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly o: FaultProxyOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(chunks), res));
    });
    this.server.keepAliveTimeout = 1_000;
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private sleep(ms: number) {
    return new Promise<void>((r) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        r();
      }, ms);
      this.timers.add(t);
    });
  }

  private pickFault(service: string): FaultKind | null {
    if (!FAULTABLE.has(service) || this.o.random.next() >= this.o.faultRate) return null;
    const r = this.o.random.next();
    if (r < 0.35) return 'throttle';
    if (r < 0.55) return 'error';
    if (r < 0.75) return 'delay';
    if (r < 0.83) return 'delay-past-timeout';
    if (r < 0.92) return 'cut-before';
    return 'cut-after';
  }

  private async handle(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    if (this.outage) {
      req.socket.destroy();
      return;
    }
    const service = awsServiceOf(req);
    const text = body.toString('utf8');
    const op = `${service}:${operationOf(req, text)}`;
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    const fault = this.o.scripted?.(op, text) ?? this.pickFault(service);
    if (fault) this.faults.set(fault, (this.faults.get(fault) ?? 0) + 1);
    const workName = `${String(req.headers[WORK_HEADER] ?? 'untraced')} ${op}`;
    let work = this.byWork.get(workName);
    if (!work) {
      work = { calls: 0, motoMs: 0, injectedMs: 0, faults: {} };
      this.byWork.set(workName, work);
    }
    work.calls += 1;
    if (fault) work.faults[fault] = (work.faults[fault] ?? 0) + 1;
    const w = work;
    const sleep = async (ms: number) => {
      w.injectedMs += ms;
      await this.sleep(ms);
    };
    if (fault === 'throttle' || fault === 'error') {
      const e = errorResponse(service, fault === 'throttle' ? 400 : 500);
      res.writeHead(fault === 'throttle' ? 400 : 500, { 'content-type': e.type, ...e.headers });
      res.end(e.body);
      return;
    }
    if (fault === 'cut-before') {
      req.socket.destroy();
      return;
    }
    const late = this.o.clientTimeoutMs + 500;
    if (fault === 'delay') await sleep(50 + Math.floor(this.o.random.next() * 400));
    // Half the long delays hold the call before moto sees it, half hold moto's answer.
    const lateBefore = fault === 'delay-past-timeout' && this.o.random.next() < 0.5;
    if (lateBefore) await sleep(late);
    let upstream: { status: number; headers: IncomingMessage['headers']; body: Buffer };
    const t = Date.now();
    const timedOp = op === 'dynamodb:Query' ? `${op}:${queryShape(text)}` : op;
    this.inFlight.set(op, (this.inFlight.get(op) ?? 0) + 1);
    try {
      upstream = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    } finally {
      this.inFlight.set(op, (this.inFlight.get(op) ?? 1) - 1);
      this.motoMs.set(timedOp, (this.motoMs.get(timedOp) ?? 0) + Date.now() - t);
      w.motoMs += Date.now() - t;
      if (Date.now() - t > this.o.clientTimeoutMs)
        this.slowAnswers.set(timedOp, (this.slowAnswers.get(timedOp) ?? 0) + 1);
    }
    // A long delay, before or after moto, outlives the caller's timeout: it never sees the answer.
    const answered = fault !== 'cut-after' && fault !== 'delay-past-timeout';
    if (upstream.status === 200)
      this.count(op, text, answered, upstream.body, String(req.headers[WORK_HEADER] ?? ''));
    if (fault === 'cut-after') {
      req.socket.destroy();
      return;
    }
    if (fault === 'delay-past-timeout' && !lateBefore) await sleep(late);
    if (req.socket.destroyed) return;
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private readonly startedAt = Date.now();

  private count(op: string, body: string, answered: boolean, response: Buffer, by: string) {
    if (op === 'ecs:UpdateService') {
      const b = JSON.parse(body) as Record<string, unknown>;
      this.updateServiceCalls.push({
        cluster: String(b.cluster ?? 'default'),
        service: String(b.service),
        desiredCount: typeof b.desiredCount === 'number' ? b.desiredCount : undefined,
        forceNewDeployment: b.forceNewDeployment === true,
        taskDefinition: typeof b.taskDefinition === 'string' ? b.taskDefinition : undefined,
        answered,
        by,
        wallMs: Date.now() - this.startedAt,
      });
    } else if (op === 'sns:Publish') {
      const p = publishOf(body, answered);
      this.publishes.push(p);
      const id = /<MessageId>([^<]+)<\/MessageId>/.exec(response.toString('utf8'))?.[1] ?? '';
      this.o.onPublish?.(p, id);
    }
  }

  private forward(req: IncomingMessage, body: Buffer) {
    const target = new URL(this.o.target);
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const up = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () =>
              resolve({
                status: r.statusCode ?? 502,
                headers: r.headers,
                body: Buffer.concat(chunks),
              }),
            );
            r.on('error', reject);
          },
        );
        up.on('error', reject);
        up.end(body);
      },
    );
  }
}
