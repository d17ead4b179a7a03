import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { closableConnection } from '../../../shared/socket-rules';
import { createPortscope } from '../portscope';
import { loadSockDiag } from '../sources/netlink/sock-diag-addon';
import { ended, loopbackPair } from '../testing/connections';
import { queryHistory } from './history-query';

/** Actions that are not kills (here: Close connection) land in the port history too. */

const skip = !loadSockDiag()?.destroy
  ? 'needs the netlink addon (npm run build:native)'
  : process.getuid?.() !== 0
    ? 'needs CAP_NET_ADMIN (root)'
    : null;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(skip !== null)('the port history records a Close connection', () => {
  it('a connection closed through the api is an action on its local port, with its outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portscope-hist-'));
    dirs.push(dir);
    const ps = await createPortscope({ intervalMs: 250, protectedPids: () => [], history: { dir } });
    ps.start();
    const client = ps.core.connect(() => {}, { scope: 'all' });
    const pair = await loopbackPair();
    try {
      const peer = ended(pair.accepted);
      let row: SocketRow | undefined;
      for (let i = 0; i < 5 && !row; i++) {
        await ps.monitor.pollNow();
        const snap = (await client.invoke('snapshot:get', {})) as { rows: SocketRow[] };
        row = snap.rows.find((r) => r.localPort === pair.clientPort && r.remotePort === pair.serverPort);
      }
      const connection = row ? closableConnection(row) : null;
      expect(connection).not.toBeNull();
      await client.invoke('connection:close', { connection });
      expect(await peer).toBe('ECONNRESET');
      const result = await queryHistory(dir, { from: 0, to: Date.now() + 1000 });
      const actions = [...result.ports.flatMap((p) => p.actions), ...result.otherActions];
      expect(actions).toContainEqual(
        expect.objectContaining({ action: 'close', ports: [pair.clientPort], outcome: 'closed' }),
      );
    } finally {
      pair.close();
      client.close();
      ps.stop();
      // The recorder's last index write and lease release come after stop(): before the folder goes.
      await ps.history?.flush();
    }
  });
});
