/** Types for scripts/electronegativity.mjs (a plain script, so `npm test` runs it without a TS loader). */
export interface AcceptedFinding {
  check: string;
  file: string;
  reason: string;
}
export interface Finding {
  check: string;
  file: string;
  line?: number;
  severity?: string;
  confidence?: string;
  description: string;
}
export const EXCLUDED: string[];
export function scan(
  accepted: AcceptedFinding[],
  source?: string,
): Promise<{
  findings: Finding[];
  errors: { file: string; message: string }[];
  unlisted: Finding[];
  stale: AcceptedFinding[];
}>;
