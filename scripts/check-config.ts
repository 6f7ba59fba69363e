// Checks config/services.json against the schema the functions parse it with, so a file that is
// valid JSON but breaks the schema (minTasks > maxTasks, a policy that does not parse) fails
// `serverless package`, `deploy` and `offline` (scripts/check-config-plugin.cjs runs this) instead of
// deploying functions that all fail. `npx tsx scripts/check-config.ts [file]`: exit 1 with the reason.
import path from 'node:path';
import { declaredServicesForScripts } from './lib/services';
import { repoRoot } from './lib/stack-definitions';

export const defaultServicesFile = path.join(repoRoot, 'config/services.json');

/** Why the services file cannot be deployed (every bad field named), or null when it is valid. */
export function servicesFileProblem(file = defaultServicesFile): string | null {
  try {
    declaredServicesForScripts(file);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const file = path.resolve(process.argv[2] ?? defaultServicesFile);
  const problem = servicesFileProblem(file);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  process.stdout.write(`${path.relative(process.cwd(), file)}: valid\n`);
}
