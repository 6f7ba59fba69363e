// Task definition names: family and revision from an ARN or family:revision, and which revision
// came before another.

export function parseTaskDefinition(ref: string): { family: string; revision: number } | null {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const match = /^(.+):(\d+)$/.exec(name);
  return match ? { family: match[1]!, revision: Number(match[2]) } : null;
}

/** The highest revision of the same family below the current one, or null. */
export function previousTaskDefinition(
  current: string,
  candidates: readonly string[],
): string | null {
  const now = parseTaskDefinition(current);
  if (!now) return null;
  let best: { arn: string; revision: number } | null = null;
  for (const arn of candidates) {
    const td = parseTaskDefinition(arn);
    if (!td || td.family !== now.family || td.revision >= now.revision) continue;
    if (!best || td.revision > best.revision) best = { arn, revision: td.revision };
  }
  return best?.arn ?? null;
}
