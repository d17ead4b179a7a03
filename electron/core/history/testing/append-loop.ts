import { createHistoryWriter } from '../history-writer';

/**
 * A recorder stand-in for the crash test: appends batches of socket events to the history folder
 * given as argv[2] as fast as it can, and after each batch is on disk prints `ok <n>` (the count of
 * events acknowledged). The test SIGKILLs it mid-write and checks every acknowledged event survived.
 */
const dir = process.argv[2] as string;
const tag = process.argv[3] ?? 'run';
const writer = createHistoryWriter({ dir, segmentBytes: 64 * 1024, startId: null });
let n = 0;
const filler = 'x'.repeat(200);
async function loop(): Promise<void> {
  for (;;) {
    const batch = Array.from({ length: 20 }, (_, i) => ({
      t: Date.now(),
      kind: 'open' as const,
      key: `tcp:c${tag}-${n + i}`,
      protocol: 'tcp' as const,
      address: '127.0.0.1',
      port: 1 + ((n + i) % 60000),
      service: null,
      process: { pid: process.pid, startId: '1', name: tag, command: filler, user: 'u' },
      user: 'u',
      container: null,
    }));
    await writer.append(batch);
    n += batch.length;
    process.stdout.write(`ok ${n}\n`);
  }
}
void loop();
