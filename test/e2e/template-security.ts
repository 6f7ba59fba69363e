// What the security checks of test/e2e/package.test.ts read in the packaged template: IAM statements
// with a `*` action or resource, matched to their `# star:` justification in resources/*.yml.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

type Statement = { Sid?: string; Action?: string | string[]; Resource?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };
export type Template = { Resources: Record<string, Resource> };

export interface PolicyStatement {
  role: string;
  policy: string;
  statement: Statement;
}

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export function policyStatements(cfn: Template): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const [role, r] of Object.entries(cfn.Resources)) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    const policies = (r.Properties.Policies ?? []) as {
      PolicyName: string;
      PolicyDocument: { Statement: Statement[] };
    }[];
    for (const p of policies) {
      for (const statement of p.PolicyDocument.Statement) {
        out.push({ role, policy: p.PolicyName, statement });
      }
    }
  }
  return out;
}

/** A statement allowing every action of a service (`ecs:*`), every action, or every resource. */
export function isStarred(s: Statement): boolean {
  const actions = list(s.Action);
  const resources = list(s.Resource);
  return actions.some((a) => a === '*' || a.endsWith(':*')) || resources.some((r) => r === '*');
}

/**
 * Why the starred statement is not justified, or null when every `*` line of its source in
 * resources/*.yml (found by policy name and Sid) has a `# star:` comment on the line above.
 */
export function unjustifiedStar(resourcesDir: string, s: PolicyStatement): string | null {
  const where = `${s.policy}/${s.statement.Sid ?? '(no Sid)'}`;
  if (!s.statement.Sid) return `${where}: a starred statement needs a Sid to find its source`;
  for (const file of readdirSync(resourcesDir).filter((f) => f.endsWith('.yml'))) {
    const lines = readFileSync(path.join(resourcesDir, file), 'utf8').split('\n');
    const policyAt = lines.findIndex((l) => l.trim() === `- PolicyName: ${s.policy}`);
    if (policyAt < 0) continue;
    const sidAt = lines.findIndex(
      (l, i) => i > policyAt && l.trim() === `- Sid: ${s.statement.Sid}`,
    );
    if (sidAt < 0) return `${where}: no such Sid in ${file}`;
    const indent = lines[sidAt]!.indexOf('-');
    let end = sidAt + 1;
    while (end < lines.length && (lines[end]!.trim() === '' || lines[end]!.search(/\S/) > indent)) {
      end += 1;
    }
    const starLine = /'\*'|"\*"|:\*['"\],\s]|:\*$/;
    for (let i = sidAt + 1; i < end; i += 1) {
      const line = lines[i]!;
      if (!/^\s*(-\s|Resource:|Action:)/.test(line) || !starLine.test(line)) continue;
      if (/Fn::|\$\{/.test(line)) continue; // a scoped ARN ending in /* or :*, not a bare star
      if (!lines[i - 1]!.trim().startsWith('# star:')) {
        return `${where}: ${file}:${i + 1} has a * without a '# star:' comment above it`;
      }
    }
    return null;
  }
  return `${where}: its policy is not in resources/*.yml`;
}
