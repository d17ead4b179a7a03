import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a bench prints, also saved as bench/results/<name>.txt: `npm run bench:table` builds the
 * README's speed table from those files (every `target …` line of every file), so the table is
 * never typed by hand. Target lines have one shape for every bench (the CLI bench's too):
 *   target <name>: <value> (≤ <limit>) ✓|✗
 */
export interface Report {
  line(text: string): void;
  /** One target: `value` against `limit` (smaller is better), both in `unit`. */
  target(name: string, value: number, limit: number, unit: string, digits?: number): boolean;
  /** Write bench/results/<name>.txt (the whole output, with the date and the machine). */
  save(): string;
}

export function createReport(name: string, dir = join(import.meta.dirname ?? __dirname, 'results')): Report {
  const lines: string[] = [];
  const line = (text: string) => {
    console.log(text);
    lines.push(text);
  };
  return {
    line,
    target(label, value, limit, unit, digits = 1) {
      const ok = Number.isFinite(value) && value <= limit;
      const sep = unit === '×' ? '' : ' ';
      line(
        `target ${label}: ${value.toFixed(digits)}${sep}${unit} (≤ ${limit}${sep}${unit}) ${ok ? '✓' : '✗'}`,
      );
      return ok;
    },
    save() {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.txt`);
      const head = `# ${name} bench, ${new Date().toISOString()}, node ${process.version}, ${process.platform}`;
      writeFileSync(file, `${[head, ...lines].join('\n')}\n`);
      return file;
    },
  };
}
