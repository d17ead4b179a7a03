import type { KillOutcome, KillResult, SocketRow } from '../../../../shared/model';
import type { ToastKind } from '../toast';

/** How each outcome reads in a toast. */
export function outcomeKind(outcome: KillOutcome): ToastKind {
  switch (outcome) {
    case 'exited':
    case 'port-released':
    case 'elevated-ok':
      return 'success';
    case 'not-found':
    case 'elevation-cancelled':
      return 'info';
    default:
      return 'error';
  }
}

/**
 * The sentence shown for a result. The engine already names the process and the ports; the UI
 * only insists on the exact wording for a changed process (the user must know nothing was sent).
 */
export function outcomeText(result: KillResult, name: string): string {
  if (result.outcome === 'changed') return 'The process changed since you saw it; nothing was sent.';
  return result.message || `${name} (PID ${result.pid}): ${result.outcome}`;
}

/** "TCP 127.0.0.1:3000 (http)" for the ports list of the confirmation. */
export function socketLabel(
  s: Pick<SocketRow, 'protocol' | 'localAddress' | 'localPort' | 'service'>,
): string {
  const host = s.localAddress.includes(':') ? `[${s.localAddress}]` : s.localAddress;
  const service = s.service ? ` (${s.service})` : '';
  return `${s.protocol.toUpperCase()} ${host}:${s.localPort}${service}`;
}
