// Proves from the built out/ that no test-only code shipped. Bundles carry no module ids or source
// maps, so each test-only file (testing/, e2e/, *.test.*, *.spec.*, *.test-support.*) is recognised by
// its fingerprints: string literals it has and no production source has. None may appear in a
// bundle; main, preload and cli (unminified, dependencies external) also keep top-level names, so camelCase names a
// test-only file declares and no production file uses count too. As a control, each bundle must show some fingerprints of production code, so a scan that
// reads nothing cannot pass. Used by scripts/pack-check.mjs; the build's own guard is
// scripts/test-code-guard.mts (keep TEST_ONLY in step with it).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const TEST_ONLY = /(^|\/)(testing|e2e)\/|\.(test|spec|test-support)\.[cm]?[jt]sx?$/;
const SOURCE_DIRS = ['electron', 'shared', 'renderer', 'e2e'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
export const BUNDLES = ['out/main', 'out/preload', 'out/cli', 'out/renderer'];
// Bundles that hold only our code (dependencies external) and keep names: where names are evidence.
const OWN_ONLY = new Set(['out/main', 'out/preload', 'out/cli']);

function walk(dir, keep, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** Plain ASCII string literals of a few words: what a minifier copies into the bundle unchanged. */
function literals(text) {
  const out = new Set();
  for (const m of text.matchAll(/(['"`])([ -~]*?)\1/g)) {
    const s = m[2];
    if (s.length >= 20 && /\w+ \w+ \w+/.test(s) && !/[\\$'"`]/.test(s)) out.add(s);
  }
  return out;
}

/** Top-level camelCase names a file declares: kept as written in the unminified bundles. */
function names(text) {
  const out = new Set();
  for (const m of text.matchAll(
    /^(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|class)\s+([a-z]+[A-Z]\w*)/gm,
  )) {
    if (m[1].length >= 7) out.add(m[1]);
  }
  return out;
}

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Scans the bundles under `root` for test-only code.
 * @returns hits (test fingerprints found in a bundle), and per bundle how many production
 *   fingerprints it shows (the control).
 */
export function scanBundles(root) {
  const rel = (p) => relative(root, p).split(sep).join('/');
  const files = SOURCE_DIRS.flatMap((d) =>
    walk(join(root, d), (p) => SOURCE.test(p) && !p.endsWith('.d.ts')),
  );
  const testFiles = files.filter((f) => TEST_ONLY.test(rel(f)));
  const prodFiles = files.filter((f) => !TEST_ONLY.test(rel(f)));
  const prodText = prodFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
  const prodPrints = new Set(prodFiles.flatMap((f) => [...literals(readFileSync(f, 'utf8'))]));
  const testPrints = [];
  for (const f of testFiles) {
    const text = readFileSync(f, 'utf8');
    for (const lit of literals(text)) {
      if (!prodText.includes(lit)) testPrints.push({ file: rel(f), lit, has: (code) => code.includes(lit) });
    }
    for (const name of names(text)) {
      const word = new RegExp(`\\b${reEscape(name)}\\b`);
      if (!word.test(prodText))
        testPrints.push({ file: rel(f), lit: name, has: (code, b) => OWN_ONLY.has(b) && word.test(code) });
    }
  }
  const hits = [];
  const control = {};
  for (const b of BUNDLES) {
    const code = walk(join(root, b), (p) => /\.(c|m)?js$/.test(p) || p.endsWith('.html'));
    control[b] = 0;
    for (const f of code) {
      const text = readFileSync(f, 'utf8');
      for (const t of testPrints) if (t.has(text, b)) hits.push({ bundle: rel(f), file: t.file, lit: t.lit });
      for (const p of prodPrints) if (text.includes(p)) control[b] += 1;
    }
  }
  const covered = new Set(testPrints.map((t) => t.file));
  const blind = testFiles.map(rel).filter((f) => !covered.has(f));
  return { testFiles: testFiles.length, fingerprints: testPrints.length, blind, hits, control };
}

/** pack-check's entry: reports through its `check(ok, what, detail)`. */
export function checkBundlesHaveNoTestCode(root, check) {
  const { testFiles, fingerprints, hits, control } = scanBundles(root);
  for (const [bundle, seen] of Object.entries(control)) {
    check(seen > 0, `${bundle}: the scan sees production code in it (${seen} fingerprints)`, 'nothing read');
  }
  check(
    hits.length === 0,
    `no test-only code in out/ bundles (${fingerprints} fingerprints of ${testFiles} test-only files)`,
    hits
      .slice(0, 5)
      .map((h) => `${h.bundle} holds ${JSON.stringify(h.lit)} from ${h.file}`)
      .join('; '),
  );
}

// `node scripts/bundle-check.mjs`: the same check alone, after `npm run build`.
if (process.argv[1] === import.meta.filename) {
  let failed = 0;
  checkBundlesHaveNoTestCode(join(import.meta.dirname, '..'), (ok, what, detail) => {
    if (!ok) failed += 1;
    console.log(`${ok ? '  ok  ' : ' FAIL '} ${what}${!ok && detail ? ` — ${detail}` : ''}`);
  });
  process.exit(failed ? 1 : 0);
}
