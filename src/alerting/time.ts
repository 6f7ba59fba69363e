// ISO timestamps in records, milliseconds in arithmetic: the few conversions the alerting domain needs.
export function ms(iso: string): number {
  return Date.parse(iso);
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function addSeconds(isoTime: string, seconds: number): number {
  return ms(isoTime) + seconds * 1000;
}

export function laterOf(a: string, b: string): string {
  return ms(a) >= ms(b) ? a : b;
}

export function earlierOf(a: string, b: string): string {
  return ms(a) <= ms(b) ? a : b;
}

/** "14 min", "2 h 5 min": durations people read at a glance. */
export function humanDuration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((ms(toIso) - ms(fromIso)) / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
