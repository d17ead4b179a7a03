import type { KillResult } from '../../../../shared/model';
import { killFinished } from '../../../../shared/socket-rules';
import type { KillPhase } from './kill-store';

/**
 * What the kill dialog says at each step, so it speaks with one voice: before anything is sent it
 * says so; once a signal went out it says which and when, and never again "nothing is sent".
 * planning → ready → sent SIGTERM at hh:mm:ss → exited / still running → force-killed / failed.
 */

/** The signal a step sent: SIGTERM first, SIGKILL when forced, the OS prompt when elevated. */
export type SentSignal = 'SIGTERM' | 'SIGKILL' | 'elevated';

export interface Sent {
  signal: SentSignal;
  /** When it was sent (ms since the epoch). */
  at: number;
}

/** "09:05:07": the local wall-clock time, 24-hour, as a log line would write it. */
export function clockText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function sentText(sent: Sent): string {
  return sent.signal === 'elevated'
    ? `Asked the administrator prompt at ${clockText(sent.at)}`
    : `Sent ${sent.signal} at ${clockText(sent.at)}`;
}

/**
 * The dialog's line under the title for this step. `what` names the target ("Frees TCP …:3000:
 * every process that holds it ends", "Holding TCP …:3000").
 */
export function stepText(
  phase: KillPhase,
  what: string,
  sent: Sent | null,
  result: KillResult | null,
  graceText: string,
): string {
  if (sent === null) {
    // Nothing has gone out yet: the one step where this sentence is true.
    return `${what}. Nothing is sent until you confirm.`;
  }
  const head = sentText(sent);
  if (phase === 'running' || phase === 'forcing') {
    return sent.signal === 'SIGTERM'
      ? `${head}; waiting up to ${graceText} for it to exit.`
      : `${head}; waiting for the processes to go.`;
  }
  if (result) {
    if (killFinished(result.outcome)) return `${head}. It exited.`;
    if (result.outcome === 'still-running') return `${head}. Still running after ${graceText}.`;
    return `${head}. It did not end.`;
  }
  return `${head}.`;
}

/** The dialog's title for this step. */
export function stepTitle(phase: KillPhase, name: string, ask: boolean, result: KillResult | null): string {
  switch (phase) {
    case 'running':
      return `Stopping ${name}…`;
    case 'forcing':
      return `Force killing ${name}…`;
    case 'result':
      if (result?.outcome === 'still-running') return `${name} is still running`;
      if (result && killFinished(result.outcome)) return `${name} has exited`;
      return `${name} was not killed`;
    default:
      return ask ? `Kill ${name}?` : `Killing ${name}`;
  }
}
