// One structured JSON logger per container (AWS Powertools), with correlation ids per invocation
// and, in stream consumers, per record: the anomaly an item descends from (correlationIdOf).
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'vigia' });

/**
 * The correlation id of a table item: the id of the anomaly that began its chain. An anomaly is its
 * own; a decision carries its anomaly's (`anomalyId`), and so does the scale consumer's record of
 * it; items that name no anomaly (samples, readings) have none.
 */
export function correlationIdOf(item: Record<string, unknown> | undefined | null): string | null {
  if (!item) return null;
  if (typeof item.anomalyId === 'string' && item.anomalyId) return item.anomalyId;
  if (item.kind === 'anomaly' && typeof item.id === 'string') return item.id;
  return null;
}
