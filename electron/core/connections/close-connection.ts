import type { CloseConnectionResult, CloseOutcome, ConnectionRef } from '../../../shared/model';
import { defaultElevationRunner } from '../kill/elevation';
import type { ElevationRunner } from '../kill/types';
import { loadSockDiag, type SockDiagAddon } from '../sources/netlink/sock-diag-addon';
import { connectionNumbers, connectionText, helperArgs } from './connection-args';
import { findConnection } from './find-connection';
import { elevatedHelperPath } from './helper-path';

const EPERM = 1;
const ENOENT = 2;
const EACCES = 13;
const EOPNOTSUPP = 95;
const ESTALE = 116;

/** Whether this host can close connections, and why not (the UI's tooltip) when it cannot. */
export interface CloseSupport {
  supported: boolean;
  reason: string | null;
}

/** Closes one TCP connection the user saw (SOCK_DESTROY on Linux). */
export interface ConnectionCloser {
  support(): CloseSupport;
  /** Destroy it if the same cookie still holds that 4-tuple; `closed` only once it is gone. */
  close(ref: ConnectionRef, options?: { elevate?: boolean }): Promise<CloseConnectionResult>;
}

export interface CloserOptions {
  platform?: NodeJS.Platform;
  /** The sock_diag addon (default: the built one). */
  addon?: SockDiagAddon | null;
  /** Runs the administrator prompt (default: pkexec through execFile, never a shell). */
  elevationRunner?: ElevationRunner;
  /** The elevated helper binary (default: next to the addon, see helper-path.ts). */
  helperPath?: string | null;
}

/** Why closing a connection is not offered on this platform. */
export function unsupportedReason(platform: NodeJS.Platform, addon: SockDiagAddon | null): string | null {
  if (platform === 'win32')
    return 'Closing a connection needs SetTcpEntry, which this Windows build of Portscope does not include yet.';
  if (platform === 'darwin') return 'macOS has no interface to close another program’s TCP connection.';
  if (platform !== 'linux') return `Closing a connection is not available on ${platform}.`;
  if (!addon || typeof addon.destroy !== 'function')
    return 'Closing a connection needs the netlink addon, which was not built on this machine (npm run build:native).';
  return null;
}

function result(outcome: CloseOutcome, message: string, canElevate = false): CloseConnectionResult {
  return { outcome, message, canElevate };
}

/** Create the closer; every option has a default for the running machine. */
export function createConnectionCloser(options: CloserOptions = {}): ConnectionCloser {
  const platform = options.platform ?? process.platform;
  const addon = options.addon !== undefined ? options.addon : loadSockDiag();
  const reason = unsupportedReason(platform, addon);
  const runner = options.elevationRunner ?? defaultElevationRunner(platform);
  const helper = options.helperPath !== undefined ? options.helperPath : elevatedHelperPath();

  async function afterward(ref: ConnectionRef, how: string): Promise<CloseConnectionResult> {
    const what = connectionText(ref);
    const now = await findConnection(addon as SockDiagAddon, ref);
    if (now.kind === 'present') return result('failed', `${what} is still open after SOCK_DESTROY${how}.`);
    return result('closed', `Closed ${what}${how}; the peer sees a reset.`);
  }

  async function elevated(ref: ConnectionRef): Promise<CloseConnectionResult> {
    const what = connectionText(ref);
    if (!helper)
      return result(
        'permission-denied',
        `Closing ${what} needs administrator rights, and the helper program is not built.`,
      );
    const ran = await runner('pkexec', [helper, ...helperArgs(connectionNumbers(ref))]);
    if (ran.cancelled)
      return result(
        'elevation-cancelled',
        'The administrator prompt was dismissed or not authorised; nothing was closed.',
        true,
      );
    if (ran.code === null)
      return result('permission-denied', `Could not ask for administrator rights: ${firstLine(ran.stderr)}.`);
    if (ran.code === 2 || ran.code === 3) {
      // No socket with that cookie: closed meanwhile, or the 4-tuple is a new connection now.
      const now = await findConnection(addon as SockDiagAddon, ref);
      if (now.kind === 'changed') return changedResult(what);
      return result('not-found', `${what} is already closed; nothing was done.`);
    }
    if (ran.code !== 0) return result('failed', `Could not close ${what}: ${firstLine(ran.stderr)}.`);
    return afterward(ref, ' (with administrator rights)');
  }

  return {
    support: () => ({ supported: reason === null, reason }),
    async close(ref, { elevate = false } = {}) {
      if (reason !== null) return result('unsupported', reason);
      const what = connectionText(ref);
      const n = connectionNumbers(ref);
      // Re-checked right before acting: the same cookie must still hold this 4-tuple.
      const before = await findConnection(addon as SockDiagAddon, ref);
      if (before.kind === 'gone') return result('not-found', `${what} is already closed; nothing was done.`);
      if (before.kind === 'changed') return changedResult(what);
      const errno = (addon as SockDiagAddon & Required<Pick<SockDiagAddon, 'destroy'>>).destroy(
        n.family,
        n.local,
        n.localPort,
        n.remote,
        n.remotePort,
        n.cookie,
      );
      if (errno === 0) return afterward(ref, '');
      // The kernel found no socket with that cookie (ENOENT; ESTALE on older kernels): it ended, or
      // a new connection took the 4-tuple in between. Say which.
      if (errno === ENOENT || errno === ESTALE) {
        const now = await findConnection(addon as SockDiagAddon, ref);
        if (now.kind === 'changed') return changedResult(what);
        return result('not-found', `${what} closed by itself before Portscope could; nothing was done.`);
      }
      if (errno === EOPNOTSUPP)
        return result(
          'unsupported',
          'This kernel was built without CONFIG_INET_DIAG_DESTROY, so no program can close a connection.',
        );
      if (errno === EPERM || errno === EACCES) {
        if (elevate) return elevated(ref);
        const canElevate = platform === 'linux' && helper !== null;
        return result(
          'permission-denied',
          `Closing ${what} needs administrator rights (CAP_NET_ADMIN).`,
          canElevate,
        );
      }
      return result('failed', `Could not close ${what} (errno ${errno}).`);
    },
  };
}

function changedResult(what: string): CloseConnectionResult {
  return result('changed', `${what} is now a different connection than the one you saw; it was not touched.`);
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 200) || 'no details';
}
