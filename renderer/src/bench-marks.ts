/**
 * User Timing marks for `npm run bench:ui` (bench/ui-bench.ts sets window.__PORTSCOPE_BENCH__ before
 * the page loads): where the first render's time goes. Nothing is recorded in normal use.
 */

declare global {
  interface Window {
    /** Set by bench/ui-bench.ts: record User Timing marks and measures (never set in normal use). */
    __PORTSCOPE_BENCH__?: boolean;
  }
}

/** True under the UI bench. */
export function benchOn(): boolean {
  return typeof window !== 'undefined' && window.__PORTSCOPE_BENCH__ === true;
}

/** A User Timing mark under the UI bench (the first of each name is what the bench reads). */
export function benchMark(name: string, startTime?: number): void {
  if (benchOn()) performance.mark(name, startTime === undefined ? undefined : { startTime });
}
