// A service's sentinel alarm went to ALARM (delivered by EventBridge): mark the service hot in its
// read cadence (a conditional write of its models item, which the collector reads every tick) and
// read it now, so a load step is answered within the alarm's evaluation and one read instead of at
// the next calm poll. Safe twice: a wake already marked and followed by a read does nothing more; one
// marked but not yet read (the first delivery failed before its read) reads again, and a read of
// minutes already read writes nothing new (samples and anomalies are idempotent creates).
import { emptyCadence } from '../collection/read-cadence';
import { withConflictRetry } from '../collection/run-limits';
import { serviceOfSentinel } from '../collection/sentinel-alarm';
import type { Service } from '../model';
import type { Clock, ModelStore, ServiceRegistry } from '../ports';
import type { CollectResult } from './collect-tick';

export interface SentinelWakeEvent {
  alarmName: string;
  /** The alarm's new state: only ALARM wakes. */
  state: string;
  /** Epoch ms of the state change: the same in every delivery of the event. */
  changedAt: number;
}

export interface WakeDeps {
  clock: Clock;
  registry: Pick<ServiceRegistry, 'get'>;
  models: Pick<ModelStore, 'loadServiceModels' | 'saveServiceModels'>;
  /** One collector read of the service now (its verdict is hot, so it is due). */
  readNow(service: Service, at: Date): Promise<CollectResult>;
}

export interface WakeSettings {
  enabled: boolean;
  stage: string;
  maxConflictRetries: number;
}

export type WakeOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'already-read'; serviceId: string }
  | {
      kind: 'woken';
      serviceId: string;
      read: { series: number; samples: number; anomalies: number };
    };

export async function wakeOnSentinel(
  deps: WakeDeps,
  event: SentinelWakeEvent,
  settings: WakeSettings,
): Promise<WakeOutcome> {
  if (!settings.enabled) return { kind: 'ignored', reason: 'the sentinel is switched off' };
  if (event.state !== 'ALARM') return { kind: 'ignored', reason: `state ${event.state}` };
  const serviceId = serviceOfSentinel(settings.stage, event.alarmName);
  if (!serviceId) return { kind: 'ignored', reason: `${event.alarmName} is not a sentinel alarm` };
  const service = await deps.registry.get(serviceId);
  // A service removed since: the dispatcher's next reconcile deletes its alarm.
  if (!service) return { kind: 'ignored', reason: `no service ${serviceId}` };

  const alreadyRead = await withConflictRetry(settings.maxConflictRetries, async () => {
    const current = (await deps.models.loadServiceModels([serviceId])).get(serviceId)!;
    const memory = current.cadence ?? emptyCadence;
    if ((memory.lastReadAt ?? -Infinity) >= event.changedAt) return true;
    if ((memory.wokenAt ?? -Infinity) >= event.changedAt) return false;
    await deps.models.saveServiceModels(
      serviceId,
      { series: current.series, cadence: { ...memory, wokenAt: event.changedAt } },
      current.version,
    );
    return false;
  });
  if (alreadyRead) return { kind: 'already-read', serviceId };

  const result = await deps.readNow(service, deps.clock.now());
  const failure = result.failures[0];
  // Thrown, so the event is delivered again (Lambda's async retries) and the read tried again.
  if (failure) throw new Error(`wake read of ${serviceId} failed: ${failure.error}`);
  return {
    kind: 'woken',
    serviceId,
    read: { series: result.series, samples: result.samples, anomalies: result.anomalies.length },
  };
}
