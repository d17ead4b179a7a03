/** Types for scripts/speed-table.mjs (a plain script: `npm run bench:table` needs no TS loader). */
export interface TargetRow {
  name: string;
  value: string;
  limit: string;
  ok: '✓' | '✗';
  bench: string;
  date: string;
}
export interface Results {
  targets: TargetRow[];
  scale: string[][];
  notes: string[];
}
export function readResults(dir: string): Results;
export function renderTable(results: Results): string;
export function updateReadme(readme: string, block: string): string;
