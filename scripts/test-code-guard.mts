import { isAbsolute, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Test-only source paths (repo-relative, posix): `testing/` folders, `e2e/`, `*.test.*`, `*.spec.*`,
 * `*.test-support.*`. The build bundles only what its entries import, and the linter forbids
 * production code to import these; this is the build's own check that both held.
 */
export const TEST_ONLY = /(^|\/)(testing|e2e)\/|\.(test|spec|test-support)\.[cm]?[jt]sx?$/;

/**
 * A Vite/Rollup plugin that fails the build when any test-only module of this repo ended up in the
 * module graph, naming who imported it. Dependencies (node_modules) and virtual modules are not ours.
 */
export function testCodeGuard(root: string): Plugin {
  return {
    name: 'portscope:test-code-guard',
    apply: 'build',
    buildEnd(error) {
      if (error) return;
      const rel = (id: string) => relative(root, id).split(sep).join('/');
      const ours = (id: string) =>
        isAbsolute(id) && !id.includes(`${sep}node_modules${sep}`) && !rel(id).startsWith('..');
      const bad = [...this.getModuleIds()].filter((id) => ours(id) && TEST_ONLY.test(rel(id)));
      if (bad.length === 0) return;
      const lines = bad.map((id) => {
        const by = this.getModuleInfo(id)?.importers.map(rel).join(', ') || 'an entry';
        return `  ${rel(id)} (imported by ${by})`;
      });
      this.error(`test-only code would ship in this bundle:\n${lines.join('\n')}`);
    },
  };
}
