// Reading and writing NAB's CSV files: data (`timestamp,value`) and results
// (`timestamp,value,anomaly_score,label`), plus the windows file, all keyed by `<category>/<file>.csv`.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface NabRow {
  timestamp: number;
  /** The timestamp exactly as written in the file, so results keep NAB's format. */
  raw: string;
  value: number | null;
}

export interface NabResultRow extends NabRow {
  score: number;
  label: 0 | 1;
}

/** Window limits as epoch milliseconds, in file order. */
export type NabWindows = Record<string, Array<[number, number]>>;

/** NAB timestamps are naive ("2014-02-14 14:30:00[.000000]"); reading them as UTC keeps them comparable. */
export function parseNabTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(text.trim());
  if (!m) throw new Error(`not a NAB timestamp: ${text}`);
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
}

function parseValue(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

export function readDataCsv(path: string): NabRow[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rows: NabRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const [ts, value] = line.split(',');
    rows.push({ timestamp: parseNabTimestamp(ts!), raw: ts!, value: parseValue(value) });
  }
  return rows;
}

export function readResultsCsv(path: string): NabResultRow[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const header = lines[0]!.split(',');
  const scoreAt = header.indexOf('anomaly_score');
  const labelAt = header.indexOf('label');
  const rows: NabResultRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    rows.push({
      timestamp: parseNabTimestamp(cells[0]!),
      raw: cells[0]!,
      value: parseValue(cells[1]),
      score: Number(cells[scoreAt]),
      label: cells[labelAt]?.trim() === '1' ? 1 : 0,
    });
  }
  return rows;
}

export function writeResultsCsv(path: string, rows: NabResultRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = rows.map((r) => `${r.raw},${r.value ?? ''},${r.score},${r.label}`);
  writeFileSync(path, ['timestamp,value,anomaly_score,label', ...body, ''].join('\n'));
}

export function readWindows(path: string): NabWindows {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[][]>;
  const out: NabWindows = {};
  for (const [file, windows] of Object.entries(json)) {
    out[file] = windows.map(([a, b]) => [parseNabTimestamp(a!), parseNabTimestamp(b!)]);
  }
  return out;
}

/** Every CSV under `root`, as `<category>/<file>.csv` with forward slashes, sorted. */
export function listCsvFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.csv')) found.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return found;
}

export function labelRows<T extends NabRow>(
  rows: T[],
  windows: Array<[number, number]>,
): Array<0 | 1> {
  return rows.map((r) => (windows.some(([a, b]) => r.timestamp >= a && r.timestamp <= b) ? 1 : 0));
}
