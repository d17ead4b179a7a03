#!/usr/bin/env node
// `npm run lint`: Biome (formatting, lint, and the layering rules it can express in biome.json), then
// scripts/check-layers.mjs (the layering rules that need an import resolved to a folder). Both always
// run, so one pass shows every problem; exits 1 if either fails.
//   node scripts/lint.mjs [files or folders…]   (default: the whole repo)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const paths = process.argv.slice(2);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const biome = run(join(root, 'node_modules', '.bin', 'biome'), [
  'check',
  '--max-diagnostics=none',
  ...(paths.length ? paths : ['.']),
]);
const layers = run(process.execPath, [join(root, 'scripts', 'check-layers.mjs'), ...paths]);
process.exit(biome === 0 && layers === 0 ? 0 : 1);
