import type { ActionEvent, HolderSpan } from '../../../../shared/history';

/** Words and times of the History view (all rendered as text, never as markup). */

/** `09:12` today, else `Dec 1 09:12`. */
export function timeText(ms: number, now: number): string {
  const d = new Date(ms);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  if (d.toDateString() === new Date(now).toDateString()) return hm;
  return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${hm}`;
}

/** `postgres (PID 812)`, or who else held it. */
export function holderText(s: HolderSpan): string {
  if (s.process) return `${s.process.name || '?'} (PID ${s.process.pid})`;
  if (s.container) return `container ${s.container.name}`;
  return s.user ? `a process of ${s.user}` : 'a hidden process';
}

/** `09:12 → 11:40 · closed, killed from cli`. */
export function spanText(s: HolderSpan, now: number): string {
  const from = `${timeText(s.from, now)}${s.fromKind === 'seen' ? ' (already open)' : ''}`;
  const to = s.to === null ? 'now' : timeText(s.to, now);
  const end = s.toKind === 'closed' ? 'closed' : s.toKind === 'open' ? 'open' : 'end unknown';
  const killed = s.killedBy ? `, killed from ${s.killedBy.by}` : '';
  return `${from} → ${to} · ${end}${killed}`;
}

/** `11:40 free port 5432 from cli: postgres (PID 812), SIGTERM → port-free`. */
export function actionText(a: ActionEvent, now: number): string {
  const who = a.targets.map((t) => `${t.name || '?'} (PID ${t.pid})`).join(', ');
  const what = a.action === 'free-port' ? `free port ${a.ports.join(', ')}` : a.action;
  const sigs = [...new Set(a.signals.map((s) => s.signal))].join('+');
  return `${timeText(a.t, now)} ${what} from ${a.by}: ${who || 'nothing'}${sigs ? `, ${sigs}` : ''} → ${a.outcome}`;
}

/** A `datetime-local` input's value for a time (local), and back. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function fromLocalInput(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text)) return null;
  const t = new Date(text).getTime();
  return Number.isFinite(t) ? t : null;
}
