#!/usr/bin/env node
// The layering rules Biome cannot express. Biome's noRestrictedImports matches the import text, so it
// can forbid 'electron', Node built-ins, packages and test-support names (see biome.json), but not
// "a relative path that lands outside shared/": `../model` is fine from shared/testing/ and not from
// shared/. This script resolves every relative import against its file and checks the folder it
// lands in. `npm run lint` (scripts/lint.mjs) runs it after Biome.
// Editing biome.json: a later matching override REPLACES an earlier one's noRestrictedImports
// options (they do not merge), so each override there carries the full set for its files, most
// specific last. scripts/layering.test.ts fails if a rule stops biting.
//   node scripts/check-layers.mjs [files or folders…]   (default: electron, shared, renderer, scripts)
// Prints `file:line:col  [rule] message` per violation; exits 1 when there is any.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'out', 'release']);

/**
 * One rule: files under `from` (and matching `only`, if given) may not import, by relative path,
 * anything under `to` (or anything outside `allowedOnly`).
 */
const RULES = [
  {
    id: 'shared-stays-in-shared',
    from: ['shared/'],
    allowedOnly: ['shared/'],
    why: 'shared/ imports only other shared/ files (and zod): it is bundled into the renderer and into Node alike.',
  },
  {
    id: 'renderer-not-electron',
    from: ['renderer/'],
    to: ['electron/'],
    why: 'the renderer talks to the host only through its PortscopeApi (shared/contract.ts), never by importing electron/**.',
  },
  {
    id: 'core-not-front-doors',
    from: ['electron/core/'],
    to: ['electron/main/', 'electron/preload/', 'electron/web/', 'electron/cli/', 'renderer/'],
    why: 'the engine knows no front door: main, preload, web, cli and the renderer depend on core, never the reverse.',
  },
  {
    id: 'front-doors-not-main',
    from: ['electron/web/', 'electron/cli/'],
    to: ['electron/main/', 'electron/preload/', 'renderer/'],
    why: "web and cli run without Electron: importing main or preload would pull 'electron' in.",
  },
  {
    id: 'unit-tests-not-e2e',
    from: ['electron/', 'shared/', 'renderer/', 'scripts/'],
    only: /\.test\.[cm]?[jt]sx?$/,
    to: ['e2e/'],
    why: 'unit tests build what they need from testing/ folders; e2e/ belongs to the Playwright specs.',
  },
];

const toPosix = (p) => p.split(sep).join('/');
const under = (file, prefixes) => prefixes.some((p) => file.startsWith(p));

/** The repo-relative posix paths of every code file under the given paths. */
function collect(paths) {
  const out = [];
  const walk = (abs) => {
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const name of readdirSync(abs)) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) walk(join(abs, name));
      }
    } else if (CODE.test(abs) && !abs.endsWith('.d.ts')) {
      out.push(toPosix(relative(root, abs)));
    }
  };
  for (const p of paths) walk(join(root, p));
  return out;
}

/** Every import, re-export, dynamic import and require() in a file, with where it is. */
function importsOf(file) {
  const text = readFileSync(join(root, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const lineStarts = ts.computeLineStarts(text);
  return importedFiles.map(({ fileName, pos }) => {
    const { line, character } = ts.computeLineAndCharacterOfPosition(lineStarts, pos);
    return { spec: fileName, line: line + 1, col: character + 1 };
  });
}

/** Violations of RULES in the given repo-relative files. */
function checkLayers(files) {
  const problems = [];
  for (const file of files) {
    const rules = RULES.filter((r) => under(file, r.from) && (!r.only || r.only.test(file)));
    if (rules.length === 0) continue;
    for (const imp of importsOf(file)) {
      if (!imp.spec.startsWith('.')) continue; // bare specifiers are Biome's (biome.json)
      const target = posix.normalize(posix.join(dirname(file), imp.spec));
      for (const rule of rules) {
        const bad = rule.allowedOnly ? !under(target, rule.allowedOnly) : under(target, rule.to);
        if (bad) {
          problems.push(
            `${file}:${imp.line}:${imp.col}  [${rule.id}] '${imp.spec}' resolves to ${target}: ${rule.why}`,
          );
        }
      }
    }
  }
  return problems;
}

const args = process.argv.slice(2);
const files = collect(args.length ? args : ['electron', 'shared', 'renderer', 'scripts']);
const problems = checkLayers(files);
for (const p of problems) console.error(p);
console.log(
  problems.length
    ? `check-layers: ${problems.length} layering violation(s) in ${files.length} files`
    : `check-layers: ${files.length} files follow the layering rules`,
);
process.exit(problems.length ? 1 : 0);
