import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory, repairHistory } from './history-reader';

/**
 * A real writer process SIGKILLed mid-write, several times: each restart finds every event that
 * writer had acknowledged (its batch was on disk), no damaged record, and the torn tail cut off.
 */

const ROOT = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ps-history-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the append loop until it acknowledged at least `min` events, then SIGKILL it; the last ack seen. */
function runAndKill(tag: string, min: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'testing', 'append-loop.ts'), dir, tag],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let acked = 0;
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const m = /^ok (\d+)$/.exec(line);
      if (!m) return;
      acked = Number(m[1]);
      // Killed right after an ack: the next batch is being written (or its fdatasync is running).
      if (acked >= min && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`append loop ended with ${signal ?? _code}`));
      else resolve(acked);
    });
  });
}

describe('history store under SIGKILL', () => {
  it('keeps every acknowledged event across five kills mid-write, and starts clean each time', async () => {
    const acked = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      const tag = `run${i}`;
      acked.set(tag, await runAndKill(tag, 100 + i * 60));
      // What the next start does: repair, then read.
      const repair = await repairHistory(dir);
      expect(repair.keptAside).toEqual([]);
      const read = await readHistory(dir);
      expect(read.damaged).toBe(0);
      expect(read.foreign).toBe(0);
      for (const [t, n] of acked) {
        const mine = read.events.filter((e) => e.kind === 'open' && e.key.startsWith(`tcp:c${t}-`));
        // Every acknowledged event is there; at most the batch in flight beyond it.
        expect(mine.length).toBeGreaterThanOrEqual(n);
        expect(mine.length).toBeLessThanOrEqual(n + 20);
      }
    }
    // After repair every segment is sealed, so a second repair has nothing to do.
    const again = await repairHistory(dir);
    expect(again.truncated).toEqual([]);
    expect(again.sealed).toEqual([]);
  }, 120_000);
});
