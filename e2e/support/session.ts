import { test } from '@playwright/test';
import { type Listener, type ListenerOptions, spawnListener } from '../../electron/core/testing/children';
import { type ServeHandle, startServe } from './serve';

/** First appearance of a new row: generous, since other suites may share the two cores. */
export const APPEAR_MS = 30_000;

/**
 * One `portscope serve` for the whole spec file plus real listener children that are killed after
 * each test. Call at the top level of a spec; the returned handle is filled in by beforeAll.
 */
export function serveSession(): {
  readonly serve: ServeHandle;
  spawn(opts: ListenerOptions): Promise<Listener>;
} {
  let serve: ServeHandle | undefined;
  const children: Listener[] = [];
  test.beforeAll(async () => {
    serve = await startServe();
  });
  test.afterEach(() => {
    for (const c of children.splice(0)) c.kill();
  });
  test.afterAll(async () => {
    await serve?.stop();
  });
  return {
    get serve() {
      if (!serve) throw new Error('serveSession: the server starts in beforeAll');
      return serve;
    },
    async spawn(opts) {
      const c = await spawnListener(opts);
      children.push(c);
      return c;
    },
  };
}
