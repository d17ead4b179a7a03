#!/usr/bin/env node
'use strict';
// The `portscope` command: a thin launcher for the bundled CLI in out/cli (built by `npm run build`).
// It loads the small entry only; each command's code is required when that command runs.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'index.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('portscope: the CLI is not built yet. Run `npm run build` in the checkout first.\n');
  process.exit(2);
}
require('./compile-cache.cjs').enableCompileCache();
// The bundle runs itself only when it is the entry; here this file is, so start it explicitly.
require(bundle).runCli();
