// What verification will compare after an action: the anomalous metric against its healthy limit,
// and, for scaling, the utilisation metrics the scaler sizes on.
import type { Anomaly } from '../model/anomaly';
import type { Decision, DecisionTrigger } from '../model/decision';
import type { Service } from '../model/service';

/**
 * The metrics verification compares later: the anomalous one against its healthy limit, plus, for
 * scaling, the utilisation metrics the scaler sizes on.
 */
export function triggersFor(
  service: Service,
  anomaly: Anomaly,
  metrics: Readonly<Record<string, number | null | undefined>>,
  action: Decision['action'],
): DecisionTrigger[] {
  const tolerance = service.scaling.tolerance;
  const utilisation: Record<string, number> = {
    cpu: service.targets.cpu * (1 + tolerance),
    memory: service.targets.memory * (1 + tolerance),
  };
  const out: DecisionTrigger[] = [];
  const bad = anomaly.direction === 'down' ? 'below' : 'above';
  const limit =
    utilisation[anomaly.metric] ??
    (bad === 'above' ? anomaly.upper : anomaly.lower) ??
    anomaly.expected ??
    anomaly.value;
  if (action === 'scale-in') {
    // Idle capacity was the problem; the risk is removing too much. Judged against the targets.
    for (const [metric, cap] of Object.entries(utilisation)) {
      const value = metrics[metric];
      if (value != null) out.push({ metric, value, limit: cap, bad: 'above' });
    }
    return out;
  }
  out.push({ metric: anomaly.metric, value: anomaly.value, limit, bad });
  if (action === 'scale-out') {
    for (const [metric, cap] of Object.entries(utilisation)) {
      const value = metrics[metric];
      if (metric !== anomaly.metric && value != null && value > cap) {
        out.push({ metric, value, limit: cap, bad: 'above' });
      }
    }
  }
  return out;
}
