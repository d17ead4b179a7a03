import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { scanBundles } from './bundle-check.mjs';
import { TEST_ONLY, testCodeGuard } from './test-code-guard.mjs';

// The two checks that keep test-only code out of what ships: the build guard (module graph) and
// pack:check's scan of the built bundles. Both run here on a small throwaway project.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portscope-guard-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

/** Builds `entry` of `root` as the CLI is built (SSR, one file) with the guard on. */
async function bundle(root: string, entry: string) {
  return build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [testCodeGuard(root)],
    build: { ssr: join(root, entry), write: false, minify: false },
  });
}

const helper = `export function makeProbeThing() {\n  return 'made by the test helper only';\n}\n`;

describe('test-code guard', () => {
  it('knows test-only paths from production ones', () => {
    const testOnly = ['electron/core/testing/sockets.ts', 'e2e/support/serve.ts', 'shared/view.test.ts'];
    const production = ['electron/core/kill/killer.ts', 'renderer/src/main.tsx', 'shared/testable.ts'];
    expect(testOnly.filter((f) => !TEST_ONLY.test(f))).toEqual([]);
    expect(production.filter((f) => TEST_ONLY.test(f))).toEqual([]);
    expect(TEST_ONLY.test('electron/main/window.test-support.ts')).toBe(true);
  });

  it('fails a build whose entry pulls in a testing/ module, naming the importer', async () => {
    const root = project({
      'src/testing/helper.ts': helper,
      'src/index.ts': `import { makeProbeThing } from './testing/helper';\nconsole.log(makeProbeThing());\n`,
    });
    await expect(bundle(root, 'src/index.ts')).rejects.toThrow(
      /test-only code would ship[\s\S]*src\/testing\/helper\.ts \(imported by src\/index\.ts\)/,
    );
  });

  it('lets a build of production code through', async () => {
    const root = project({
      'src/testing/helper.ts': helper,
      'src/index.ts': `console.log('production only');\n`,
    });
    await expect(bundle(root, 'src/index.ts')).resolves.toBeDefined();
  });
});

describe('bundle scan (pack:check)', () => {
  const sources = {
    'electron/core/testing/helper.ts': helper,
    'electron/core/engine.ts': `export const said = 'the engine speaks plain words';\n`,
  };

  it('finds test-only code in a built bundle by its fingerprints', () => {
    const root = project({
      ...sources,
      'out/main/index.js': `const said = 'the engine speaks plain words';\nfunction makeProbeThing() {}\n`,
    });
    const r = scanBundles(root);
    expect(r.control['out/main']).toBe(1);
    expect(r.hits.map((h) => `${h.bundle} ${h.file} ${h.lit}`)).toEqual([
      'out/main/index.js electron/core/testing/helper.ts makeProbeThing',
    ]);
  });

  it('passes bundles made of production code only', () => {
    const root = project({
      ...sources,
      'out/renderer/assets/index.js': `x('the engine speaks plain words')`,
    });
    const r = scanBundles(root);
    expect(r.hits).toEqual([]);
    expect(r.control['out/renderer']).toBe(1);
    expect(r.fingerprints).toBe(2);
  });
});
