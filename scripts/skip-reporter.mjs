// A vitest reporter that writes why each skipped test was skipped to test-results/vitest-skips.json
// (the JSON reporter drops `ctx.skip('reason')`'s note). scripts/test-all.mjs reads it, so the
// summary says "2 skipped: no IPv6 loopback here" instead of a bare count.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export default class SkipReporter {
  onInit(ctx) {
    this.root = ctx.config.root;
  }

  onTestRunEnd(modules) {
    const skips = [];
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        skips.push({
          file: relative(this.root, mod.moduleId),
          name: test.fullName,
          reason: result.note ?? null,
        });
      }
    }
    const dir = join(this.root, 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'vitest-skips.json'), `${JSON.stringify(skips, null, 1)}\n`);
  }
}
