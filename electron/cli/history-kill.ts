import type { ProcessInfo, SocketRow } from '../../shared/model';
import { historyDir } from '../core/history/history-dir';
import { createHistoryWriter } from '../core/history/history-writer';
import { recordingKiller } from '../core/history/recording-killer';
import type { Killer } from '../core/kill';
import { readStartId } from '../core/processes/proc-identity';

/**
 * `portscope kill` writes what it did into the same history the app keeps (a segment of its own,
 * sealed when the kill is recorded), so `portscope history` and the History view show CLI kills.
 */

/** The process the CLI's snapshot showed under this PID. */
function describeFrom(rows: SocketRow[]): (pid: number) => ProcessInfo | null {
  return (pid) => {
    for (const r of rows) for (const o of r.owners) if (o.pid === pid && o.process) return o.process;
    return null;
  };
}

/** Wrap the CLI's killer so each kill and port free is recorded as done by the CLI. */
export function cliRecordingKiller(
  killer: Killer,
  rows: SocketRow[],
  env: NodeJS.ProcessEnv = process.env,
): Killer {
  return recordingKiller(killer, {
    by: 'cli',
    describe: describeFrom(rows),
    sink: {
      async recordAction(event) {
        const writer = createHistoryWriter({ dir: historyDir(env), startId: readStartId(process.pid) });
        await writer.append([event]);
        await writer.close();
      },
    },
  });
}
