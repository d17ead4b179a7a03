import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addonCandidates } from '../sources/netlink/sock-diag-addon';

/** The elevated helper's file name (scripts/build-native.mjs builds it beside the addon). */
export const HELPER_FILE = 'portscope-sock-destroy';

/**
 * Absolute path of the helper pkexec runs, or null when it was not built. It sits beside the addon
 * (outside the asar archive in a packaged app: a program cannot run from inside it).
 */
export function elevatedHelperPath(candidates: string[] = addonCandidates()): string | null {
  for (const addon of candidates) {
    const file = join(dirname(addon), HELPER_FILE);
    // Inside the archive (app.asar/, not app.asar.unpacked/) nothing can be executed.
    if (!/app\.asar[\\/]/.test(file) && existsSync(file)) return file;
  }
  return null;
}
