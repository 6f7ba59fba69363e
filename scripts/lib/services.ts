// The services file, read and validated the same way the functions read it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFleetConfig, type Service } from '../../src/model';
import { repoRoot } from './stack-definitions';

export function declaredServicesForScripts(
  file = path.join(repoRoot, 'config/services.json'),
): Service[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `${path.relative(repoRoot, file)} is not valid JSON: ${(err as Error).message}`,
    );
  }
  return parseFleetConfig(raw, path.relative(repoRoot, file));
}
