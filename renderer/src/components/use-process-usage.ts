import { useEffect, useState } from 'react';
import type { ProcessInfo, ProcessUsage } from '../../../shared/model';
import { getApi } from '../api';

/** How often the open details panel refreshes CPU and memory (the engine's slow clock is 5 s). */
export const USAGE_REFRESH_MS = 2000;

/**
 * CPU and memory of the process shown in the details panel, asked for while the panel is open.
 * Deltas leave CPU/memory wiggles out (they would resend every socket of a busy process), so the
 * row's own values are only where this starts. A reply for a different process (PID reused) is
 * ignored.
 */
export function useProcessUsage(pid: number | null, process: ProcessInfo | null): ProcessUsage | null {
  const startId = process?.startId ?? null;
  const [usage, setUsage] = useState<ProcessUsage | null>(null);
  useEffect(() => {
    setUsage(null);
    if (pid === null || startId === null) return;
    let live = true;
    const ask = () => {
      getApi()
        .request('process:usage', { pid })
        .then((u) => {
          if (live && u && u.startId === startId) setUsage(u);
        })
        .catch(() => {
          // Transient (reconnecting, process gone): keep what is shown; the next tick asks again.
        });
    };
    ask();
    const timer = setInterval(ask, USAGE_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [pid, startId]);
  if (!process) return null;
  return usage ?? { pid: pid ?? 0, startId: process.startId, cpu: process.cpu, memory: process.memory };
}
