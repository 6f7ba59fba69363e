// What the alerting use cases need from storage: one service's alerting state, saved with
// conditional writes, and the API's views of incidents and silences.
import type { AlertingState, Incident, Silence } from '../alerting';

export interface AlertingStateStore {
  /** The service's open and recently resolved incidents, its notices, and every silence. */
  loadServiceState(serviceId: string, now: Date): Promise<AlertingState>;
  /**
   * Writes what changed between `before` and `after` (the result of a step or flush), each item
   * conditional on what was read. Throws ConflictError when another writer got there first.
   */
  saveServiceState(before: AlertingState, after: AlertingState, now: Date): Promise<void>;
}

export interface IncidentQuery {
  serviceId?: string;
  from?: string;
  to?: string;
  status?: 'open' | 'resolved';
  limit: number;
  cursor?: string;
}

export interface IncidentPage {
  incidents: Incident[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface AlertingAdminStore {
  getIncident(incidentId: string): Promise<Incident | null>;
  /** Conditional on the incident's version being `expectedVersion`. */
  saveIncident(incident: Incident, expectedVersion: number): Promise<void>;
  listIncidents(query: IncidentQuery): Promise<IncidentPage>;
  /** Silences not yet past their retention, ended ones included. */
  listSilences(now: Date): Promise<Silence[]>;
  getSilence(id: string): Promise<Silence | null>;
  /** Creates a silence; false when the id exists. */
  createSilence(silence: Silence): Promise<boolean>;
  /** Replaces a silence only if it still equals `expected`; ConflictError otherwise. */
  replaceSilence(expected: Silence, next: Silence): Promise<void>;
}
