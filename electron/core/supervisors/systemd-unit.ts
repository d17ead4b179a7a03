import type { SupervisorRef } from '../../../shared/model';

/**
 * A systemd unit name Portscope will pass to systemctl: letters, digits and `:_.@-\` (systemd's
 * own escaping), ending in `.service`. Anything else never reaches a command line.
 */
export const UNIT_NAME = /^[A-Za-z0-9_][A-Za-z0-9:_.@\\-]{0,240}\.service$/;

/**
 * The systemd service a process belongs to, from its /proc/<pid>/cgroup text: the unified
 * hierarchy's `0::` line, else cgroup v1's `name=systemd` line. `system.slice/nginx.service` →
 * nginx.service (system manager); `user@1000.service/app.slice/x.service` → x.service (the user's
 * manager). Scopes (login sessions, containers) and the managers themselves are not services that
 * restart anything: null.
 */
export function systemdUnitFromCgroup(text: string): SupervisorRef | null {
  const lines = text.split('\n');
  // Hybrid hierarchies show `0::/` beside the real place in name=systemd: the first non-root wins.
  const unified = lines.find((l) => l.startsWith('0::'))?.slice(3);
  const named = lines.find((l) => l.includes(':name=systemd:'))?.replace(/^\d+:name=systemd:/, '');
  const path = unified && unified !== '/' ? unified : named;
  if (!path || path === '/') return null;
  const parts = path.split('/').filter(Boolean);
  const userManager = parts.findIndex((p) => /^user@\d+\.service$/.test(p));
  const services = parts
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => p.endsWith('.service') && i !== userManager);
  const last = services.at(-1);
  if (!last || !UNIT_NAME.test(last.p)) return null;
  // A unit after the user manager's node is the user's; before it (or without one) the system's.
  const scope = userManager >= 0 && last.i > userManager ? 'user' : 'system';
  return { kind: 'systemd', name: last.p, scope };
}
