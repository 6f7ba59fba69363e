// Samples and anomalies in the single table: written once each (a re-run tick changes nothing) and
// read back by service and time.
import {
  anomalyKeyPart,
  anomalySchema,
  sampleSchema,
  type Anomaly,
  type Sample,
} from '../../src/model';
import type { ObservationStore } from '../../src/ports';
import {
  anomalyGsi1,
  anomalySk,
  expiresAt,
  sampleSk,
  servicePk,
  skPrefix,
  stripStorage,
  ttl,
} from './keys';
import { itemsSince } from './service-items';
import type { Table } from './table';

export class DynamoObservationStore implements ObservationStore {
  constructor(private readonly table: Table) {}

  putSample(sample: Sample, recordedAt: Date) {
    return this.table.create({
      pk: servicePk(sample.serviceId),
      sk: sampleSk(sample.at),
      kind: 'sample',
      ...sample,
      recordedAt: recordedAt.toISOString(),
      expiresAt: expiresAt(sample.at, ttl.sampleDays),
    });
  }

  putAnomaly(anomaly: Anomaly, recordedAt: Date) {
    return this.table.create({
      pk: servicePk(anomaly.serviceId),
      sk: anomalySk(anomaly.at, anomalyKeyPart(anomaly)),
      ...anomalyGsi1(anomaly.serviceId, anomaly.at, anomalyKeyPart(anomaly)),
      kind: 'anomaly',
      ...anomaly,
      recordedAt: recordedAt.toISOString(),
      expiresAt: expiresAt(anomaly.at, ttl.anomalyDays),
    });
  }

  async latestSample(serviceId: string): Promise<Sample | null> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': servicePk(serviceId), ':prefix': skPrefix.sample },
      ScanIndexForward: false,
      Limit: 1,
    });
    return items[0] ? sampleSchema.parse(stripStorage(items[0])) : null;
  }

  async anomaliesSince(serviceId: string, since: Date): Promise<Anomaly[]> {
    const items = await itemsSince(this.table, serviceId, skPrefix.anomaly, since);
    return items.map((i) => anomalySchema.parse(stripStorage(i)));
  }
}
