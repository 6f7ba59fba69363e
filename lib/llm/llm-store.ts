// The LLM diagnosis's items in the one table: token use per provider and month (conditional ADDs,
// so concurrent decisions never overspend a budget) and one diagnosis per incident (create-only, so
// every decision of an incident shows the same answer and a provider is asked once per incident).
//
// pk            sk                             kind
// LLM#BUDGET    <provider>#<yyyy-mm>           llm-budget     (TTL: a year)
// SVC#<id>      LLMDIAG#<incident id>          llm-diagnosis  (TTL, like anomalies)
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { llmDiagnosisSchema, type LlmDiagnosis } from '../../src/model';
import type { LlmBudget, LlmDiagnosisCache } from '../../src/use-cases/llm-diagnosis';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, servicePk, ttl } from '../store/keys';
import type { Table } from '../store/table';

const budgetPk = 'LLM#BUDGET';
const budgetSk = (provider: string, month: string) => `${provider}#${month}`;
const diagnosisSk = (incidentId: string) => `LLMDIAG#${incidentId}`;

export class DynamoLlmBudget implements LlmBudget {
  constructor(private readonly table: Table) {}

  async reserve(provider: string, month: string, tokens: number, ceiling: number) {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: budgetPk, sk: budgetSk(provider, month) },
          UpdateExpression:
            'ADD tokens :n SET kind = :kind, provider = :p, #month = :m, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(tokens) OR tokens <= :ceiling',
          ExpressionAttributeNames: { '#month': 'month' },
          ExpressionAttributeValues: {
            ':n': tokens,
            ':ceiling': ceiling,
            ':kind': 'llm-budget',
            ':p': provider,
            ':m': month,
            ':exp': expiresAt(`${month}-01T00:00:00.000Z`, 400),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async settle(provider: string, month: string, delta: number) {
    if (delta === 0) return;
    await this.table.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { pk: budgetPk, sk: budgetSk(provider, month) },
        UpdateExpression: 'ADD tokens :d',
        // Only the month's item a reservation created: never a fresh one from a settlement alone.
        ConditionExpression: 'attribute_exists(tokens)',
        ExpressionAttributeValues: { ':d': delta },
      }),
    );
  }

  /** The month's tokens so far (reservations included), 0 before the first call. */
  async used(provider: string, month: string): Promise<number> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: budgetPk, sk: budgetSk(provider, month) },
        ConsistentRead: true,
      }),
    );
    return Number(out.Item?.tokens ?? 0);
  }
}

export class DynamoLlmDiagnosisCache implements LlmDiagnosisCache {
  constructor(private readonly table: Table) {}

  async get(serviceId: string, incidentId: string): Promise<LlmDiagnosis | null> {
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: { pk: servicePk(serviceId), sk: diagnosisSk(incidentId) },
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return null;
    const parsed = llmDiagnosisSchema.safeParse(out.Item);
    // An item from an older layout: ask again rather than fail the decision.
    return parsed.success ? parsed.data : null;
  }

  put(serviceId: string, diagnosis: LlmDiagnosis, now: Date): Promise<boolean> {
    return this.table.create({
      pk: servicePk(serviceId),
      sk: diagnosisSk(diagnosis.incidentId),
      kind: 'llm-diagnosis',
      ...diagnosis,
      recordedAt: now.toISOString(),
      expiresAt: expiresAt(now, ttl.anomalyDays),
    });
  }
}
