import type { ProcessInfo } from '../../../shared/model';
import { processLabel } from '../../../shared/process-label';
import { loadSi } from '../lazy/systeminformation';
import { startIdFromStarted } from './proc-identity';
import type { ProcessReader } from './process-cache';

/**
 * Portable process reader: systeminformation's process list. It lists every process (it runs
 * `ps` or WMI), so the cache calls it only when unknown PIDs appear and on the slow clock.
 */
export class SiProcessReader implements ProcessReader {
  async read(pids: readonly number[]): Promise<Map<number, ProcessInfo>> {
    const wanted = new Set(pids);
    const out = new Map<number, ProcessInfo>();
    const { list } = await (await loadSi()).processes();
    for (const p of list) {
      if (!wanted.has(p.pid)) continue;
      const started = Date.parse(p.started.replace(' ', 'T'));
      const command = [p.command, p.params].filter(Boolean).join(' ');
      const label = processLabel(p.name, command);
      out.set(p.pid, {
        name: p.name,
        command,
        ...(label ? { label } : {}),
        path: p.path,
        user: p.user,
        startTime: Number.isFinite(started) ? started : 0,
        startId: startIdFromStarted(p.started),
        ppid: p.parentPid || null,
        cpu: Number.isFinite(p.cpu) ? p.cpu : null,
        memory: Number.isFinite(p.memRss) ? p.memRss * 1024 : null,
      });
    }
    return out;
  }
}
