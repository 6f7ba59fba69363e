// The prompt a language model diagnoses an incident from: the evidence the rule engine saw (recent
// samples, anomalies, its own diagnosis candidates, deployments, last actions) and the actions the
// policy allows, as compact JSON. Bounded, so one incident's prompt stays within a small budget.
import type { Anomaly } from '../model/anomaly';
import type { ActionType, Decision } from '../model/decision';
import type { Sample } from '../model/sample';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface LlmEvidence {
  serviceId: string;
  anomaly: Anomaly;
  /** Oldest first; the last MAX_SAMPLES are sent. */
  samples: readonly Sample[];
  anomalies: readonly Anomaly[];
  /** The rule engine's diagnoses, most confident first. */
  candidates: readonly { name: string; confidence: number; evidence: readonly string[] }[];
  recentDecisions: readonly Decision[];
  allowedActions: readonly ActionType[];
}

const MAX_SAMPLES = 15;
const MAX_ANOMALIES = 10;
const MAX_ACTIONS = 5;

const SYSTEM = [
  'You diagnose incidents of a containerised service on AWS ECS for an autopilot.',
  'Answer with one JSON object and nothing else, with exactly these fields:',
  '{"cause": string (one line), "confidence": number from 0 to 1,',
  ' "recommendedAction": one of allowedActions (null if allowedActions is empty),',
  ' "explanation": string (two or three sentences citing the evidence)}.',
  'Never recommend an action outside allowedActions.',
].join('\n');

export function buildDiagnosisPrompt(e: LlmEvidence): ChatMessage[] {
  const deployments = new Map<string, string | null>();
  for (const s of e.samples) {
    if (s.ecs) deployments.set(s.ecs.taskDefinition, s.ecs.lastDeploymentAt);
  }
  const evidence = {
    service: e.serviceId,
    anomaly: anomalyFacts(e.anomaly),
    recentSamples: e.samples.slice(-MAX_SAMPLES).map((s) => ({
      at: s.at,
      ...s.metrics,
      ...(s.ecs ? { running: s.ecs.runningCount, desired: s.ecs.desiredCount } : {}),
    })),
    anomalies: e.anomalies.slice(-MAX_ANOMALIES).map(anomalyFacts),
    diagnosisCandidates: e.candidates.map((c) => ({
      name: c.name,
      confidence: c.confidence,
      evidence: c.evidence,
    })),
    deployments: [...deployments].map(([taskDefinition, at]) => ({ taskDefinition, at })),
    lastActions: [...e.recentDecisions]
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-MAX_ACTIONS)
      .map((d) => ({
        at: d.at,
        action: d.action,
        status: d.status,
        result: d.result,
        outcome: d.outcome ?? null,
      })),
    allowedActions: e.allowedActions,
  };
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: JSON.stringify(evidence) },
  ];
}

function anomalyFacts(a: Anomaly) {
  return {
    at: a.at,
    metric: a.metric,
    value: a.value,
    expected: a.expected,
    severity: a.severity,
    explanation: a.explanation,
  };
}
