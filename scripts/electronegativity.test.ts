import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AcceptedFinding, scan } from './electronegativity.mjs';

// The npm test gate itself: the shipped Electron code passes with only the justified findings, and a
// regression in it (here: a window without the sandbox) is caught as an unlisted finding.
const root = join(__dirname, '..');
const accepted: AcceptedFinding[] = JSON.parse(
  readFileSync(join(root, 'electronegativity-accepted.json'), 'utf8'),
).accepted;
const copy = mkdtempSync(join(tmpdir(), 'portscope-eneg-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('electronegativity gate', () => {
  it('every finding on the shipped code is listed with a reason, and no entry is stale', async () => {
    const r = await scan(accepted);
    expect(r.errors).toEqual([]);
    expect(r.unlisted).toEqual([]);
    expect(r.stale).toEqual([]);
    for (const a of accepted) expect(a.reason.length).toBeGreaterThan(40);
  }, 60_000);

  it('fails on a regression: a window without the sandbox', async () => {
    for (const dir of ['electron/main', 'electron/preload', 'renderer']) {
      cpSync(join(root, dir), join(copy, dir), {
        recursive: true,
        filter: (f) => !f.includes('node_modules'),
      });
    }
    const file = join(copy, 'electron', 'main', 'windows.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('sandbox: true,');
    writeFileSync(file, text.replace('sandbox: true,', 'sandbox: false,'));
    const r = await scan(accepted, copy);
    expect(r.unlisted).toContainEqual(
      expect.objectContaining({ check: 'SANDBOX_JS_CHECK', file: 'electron/main/windows.ts' }),
    );
  }, 60_000);
});
