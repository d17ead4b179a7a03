#!/usr/bin/env node
// Runs everything CI runs, in order, and ends with one plain line: `N passed, N failed`.
// Each step's own tests are counted from its reporter; a step that is not a test suite
// (typecheck, lint, build) counts as one check.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const root = join(import.meta.dirname, '..');
const npx = (bin) => join(root, 'node_modules', '.bin', bin);
let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];

function run(name, cmd, args, { countFrom } = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (countFrom) {
    const counts = countFrom();
    if (counts) {
      passed += counts.passed;
      failed += counts.failed;
      skipped += counts.skipped;
      // A runner that failed without reporting a failed test still fails the suite.
      if (!ok && counts.failed === 0) failed += 1;
      summary.push(
        `${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${secs}s)`,
      );
      return ok;
    }
  }
  if (ok) passed += 1;
  else failed += 1;
  summary.push(`${name}: ${ok ? 'ok' : `FAILED (exit ${r.status})`} (${secs}s)`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitestCounts() {
  const j = readJson(join(root, 'test-results', 'vitest.json'));
  if (!j) return null;
  return {
    passed: j.numPassedTests ?? 0,
    failed: (j.numFailedTests ?? 0) + (j.numRuntimeErrorTestSuites ?? 0),
    skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
  };
}

function playwrightCounts() {
  const j = readJson(join(root, 'test-results', 'playwright.json'));
  if (!j?.stats) return null;
  return {
    passed: (j.stats.expected ?? 0) + (j.stats.flaky ?? 0),
    failed: j.stats.unexpected ?? 0,
    skipped: j.stats.skipped ?? 0,
  };
}

/**
 * Why tests were skipped, grouped: "5 skipped: ELECTRON_BIN is not set … (e2e/electron/app.spec.ts)".
 * Playwright keeps test.skip(cond, 'reason') as an annotation; vitest's ctx.skip('reason') reaches
 * us through scripts/skip-reporter.mjs. A skip without a reason names its files.
 */
function skipReasons() {
  const groups = new Map();
  const add = (reason, file) => {
    const g = groups.get(reason) ?? { count: 0, files: new Set() };
    g.count += 1;
    g.files.add(file);
    groups.set(reason, g);
  };
  for (const s of readJson(join(root, 'test-results', 'vitest-skips.json')) ?? []) {
    add(s.reason ?? 'its describe.runIf/skipIf condition is false on this machine', s.file);
  }
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const note = (t.annotations ?? []).find((a) => a.type === 'skip' || a.type === 'fixme');
        add(note?.description || 'skipped in the spec', `e2e/${spec.file ?? suite.file}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of readJson(join(root, 'test-results', 'playwright.json'))?.suites ?? []) walk(suite);
  return [...groups].map(([reason, g]) => `${g.count} skipped: ${reason} (${[...g.files].join(', ')})`);
}

/**
 * The failed tests by name, so the summary at the end of a long log (often all that is kept of a CI
 * run) says which test failed and why, in one line each.
 */
function failures() {
  const out = [];
  const first = (messages) =>
    stripVTControlCharacters(String((messages ?? [])[0] ?? ''))
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 200) ?? '';
  for (const file of readJson(join(root, 'test-results', 'vitest.json'))?.testResults ?? []) {
    const rel = String(file.name).replace(`${root}/`, '');
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'failed') out.push(`FAILED ${rel} › ${a.fullName}: ${first(a.failureMessages)}`);
    }
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')) {
      out.push(`FAILED ${rel}: ${first([file.message])}`);
    }
  }
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const err = t.results?.at(-1)?.error?.message ?? '';
        out.push(`FAILED e2e/${spec.file ?? suite.file} › ${spec.title}: ${first([err])}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of readJson(join(root, 'test-results', 'playwright.json'))?.suites ?? []) walk(suite);
  return out;
}

rmSync(join(root, 'test-results', 'vitest.json'), { force: true });
rmSync(join(root, 'test-results', 'vitest-skips.json'), { force: true });
rmSync(join(root, 'test-results', 'playwright.json'), { force: true });

run('typecheck', 'npm', ['run', 'typecheck', '--silent']);
run('lint', 'npm', ['run', 'lint', '--silent']);
// Electron security lint over the shipped main/preload code and the page: fails on any finding not
// justified in electronegativity-accepted.json (offline; counted as one check, like lint).
run('electronegativity', 'node', [join(root, 'scripts', 'electronegativity.mjs')]);
// The netlink addon, so its unit tests run (~1 s; says why and exits 0 where it cannot build).
run('native', 'node', [join(root, 'scripts', 'build-native.mjs')]);
run(
  'unit',
  npx('vitest'),
  [
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json',
    `--reporter=${join(root, 'scripts', 'skip-reporter.mjs')}`,
  ],
  {
    countFrom: vitestCounts,
  },
);
const built = run('build', 'npm', ['run', 'build', '--silent']);
if (existsSync(join(root, 'scripts', 'pack-check.mjs'))) {
  if (built) run('pack:check', 'node', [join(root, 'scripts', 'pack-check.mjs')]);
}
if (built) {
  run('e2e', npx('playwright'), ['test'], { countFrom: playwrightCounts });
} else {
  failed += 1;
  summary.push('e2e: not run (build failed)');
}

console.log('\n=== summary');
for (const line of summary) console.log(line);
if (skipped) for (const line of skipReasons()) console.log(line);
if (failed) for (const line of failures()) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
