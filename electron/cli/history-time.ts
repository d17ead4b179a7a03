/**
 * Times for `portscope history`: `--since 2h` (s, m, h, d, w), `--from`/`--to` as an ISO date or
 * date-time (`2026-12-01`, `2026-12-01T09:30`, with or without a zone) or a clock time today
 * (`09:30`, local). Parsed by pattern, never by a lenient Date.parse of arbitrary text.
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `2h` → 7_200_000; null when not a duration of at most 10 years. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})([smhdw])$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return ms > 0 && ms <= 3650 * 86_400_000 ? ms : null;
}

/** A point in time (ms since the epoch); null when the text is not one of the accepted forms. */
export function parseTime(text: string, now: number): number | null {
  const clock = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock) {
    const [h, min, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (h > 23 || min > 59 || s > 59) return null;
    const d = new Date(now);
    d.setHours(h, min, s, 0);
    return d.getTime();
  }
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.test(text)) {
    return null;
  }
  // A date alone is local midnight (Date.parse would read it as UTC).
  const t = Date.parse(text.length === 10 ? `${text}T00:00` : text.replace(' ', 'T'));
  return Number.isFinite(t) ? t : null;
}

/** `09:12` today, else `12-01 09:12` this year, else `2025-12-01 09:12` (local time). */
export function clockText(ms: number, now: number): string {
  const d = new Date(ms);
  const n = new Date(now);
  const pad = (v: number) => String(v).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const md = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  if (d.getFullYear() === n.getFullYear()) return `${md} ${hm}`;
  return `${d.getFullYear()}-${md} ${hm}`;
}
