/** Types for scripts/bundle-check.mjs (a plain script, so pack:check runs without a TS loader). */
export const TEST_ONLY: RegExp;
export const BUNDLES: string[];
export interface BundleScan {
  testFiles: number;
  fingerprints: number;
  /** Test-only files with no fingerprint: the scan cannot see them. */
  blind: string[];
  hits: { bundle: string; file: string; lit: string }[];
  /** Per bundle, how many production fingerprints it shows. */
  control: Record<string, number>;
}
export function scanBundles(root: string): BundleScan;
export function checkBundlesHaveNoTestCode(
  root: string,
  check: (ok: boolean, what: string, detail?: string) => unknown,
): void;
