#!/usr/bin/env node
// `npm run electronegativity` (and a step of `npm test`): Doyensec's Electronegativity over the
// Electron code that ships (electron/main, electron/preload and the page renderer/index.html, tests
// and testing/ helpers left out). Every finding must be fixed or listed with a reason in
// electronegativity-accepted.json; an unlisted finding fails, and so does a listed one that no longer
// occurs (the list never keeps a stale excuse). Offline: the two network look-ups the tool makes
// (translations, Electron's release list) are answered "unreachable" without touching the network,
// and the release-list check is not run (see EXCLUDED).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const toolMain = require.resolve('@doyensec/electronegativity');

// The tool fetches translations and Electron's release list with `got`; answer both "unreachable"
// before it loads, so a run never depends on (nor leaks to) the network.
const gotPath = createRequire(toolMain).resolve('got');
const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
offline.head = offline;
offline.default = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };

/**
 * Checks not run, each with why. AVAILABLE_SECURITY_FIXES compares the Electron version with the
 * release list downloaded at run time: a network fact that changes daily, not a property of our code
 * (Electron upgrades are dependency updates).
 */
export const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const SOURCES = ['electron/main', 'electron/preload'];
const PAGES = ['renderer/index.html'];
const isShipped = (rel) =>
  !/(^|\/)testing(\/|$)/.test(rel) && !/\.(test|spec)\.[cm]?tsx?$/.test(rel) && !/\.test-support\./.test(rel);

/** Copy the shipped Electron sources and the page of `root` into a scratch folder the tool scans. */
function stage(root) {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-electronegativity-'));
  const copy = (rel) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    cpSync(join(root, rel), join(dir, rel));
  };
  const walk = (rel) => {
    for (const name of readdirSync(join(root, rel))) {
      const child = `${rel}/${name}`;
      if (statSync(join(root, child)).isDirectory()) walk(child);
      else if (/\.[cm]?tsx?$/.test(name) && isShipped(child)) copy(child);
    }
  };
  for (const s of SOURCES) walk(s);
  for (const p of PAGES) copy(p);
  return dir;
}

/**
 * Run the scan over the checkout at `source` (default: this one) and compare with the accepted list.
 * `accepted`: [{ check, file, reason }], one entry per (check, file) pair.
 * Returns { findings, errors, unlisted, stale }.
 */
export async function scan(accepted, source = root) {
  const run = require(toolMain).default ?? require(toolMain);
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const dir = stage(source);
  const log = console.log;
  try {
    // The tool prints chatter (the translation fallback) through console.log: keep only ours.
    console.log = () => {};
    const result = await run(
      {
        input: dir,
        isRelative: true,
        excludeFromScan: EXCLUDED.map((c) => c.toLowerCase()),
        electronVersionOverride: electronVersion,
      },
      false,
    );
    console.log = log;
    const findings = result.issues.map((i) => ({
      check: i.id,
      file: relative(dir, join(dir, i.file)).replace(/\\/g, '/'),
      line: i.location?.line,
      severity: i.severity?.name,
      confidence: i.confidence?.name,
      description: i.description,
    }));
    const key = (f) => `${f.check} ${f.file}`;
    const listed = new Set(accepted.map(key));
    const found = new Set(findings.map(key));
    return {
      findings,
      errors: result.errors.filter((e) => !e.tolerable),
      unlisted: findings.filter((f) => !listed.has(key(f))),
      stale: accepted.filter((a) => !found.has(key(a))),
    };
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const acceptedFile = join(root, 'electronegativity-accepted.json');
  const accepted = JSON.parse(readFileSync(acceptedFile, 'utf8')).accepted;
  const missingReason = accepted.filter((a) => typeof a.reason !== 'string' || a.reason.length < 20);
  const { findings, errors, unlisted, stale } = await scan(accepted);
  for (const f of findings) {
    const ok = !unlisted.includes(f);
    console.log(`${ok ? 'accepted' : '  FAIL  '} ${f.check} ${f.file}:${f.line} (${f.severity})`);
    if (!ok) console.log(`         ${f.description}`);
  }
  for (const a of stale)
    console.log(`  FAIL   stale entry: ${a.check} ${a.file} no longer occurs: remove it`);
  for (const a of missingReason) console.log(`  FAIL   ${a.check} ${a.file} has no real reason`);
  for (const e of errors) console.log(`  FAIL   could not parse ${e.file}: ${e.message}`);
  const bad = unlisted.length + stale.length + missingReason.length + errors.length;
  console.log(
    bad === 0
      ? `electronegativity: ${findings.length} finding(s), each justified in electronegativity-accepted.json`
      : `electronegativity: ${bad} problem(s)`,
  );
  process.exit(bad === 0 ? 0 : 1);
}
