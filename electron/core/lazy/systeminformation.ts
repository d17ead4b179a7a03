import type Systeminformation from 'systeminformation';

type Si = typeof Systeminformation;
let loaded: Promise<Si> | undefined;

/**
 * systeminformation, required on first use. It costs ~35-50 ms to load and Linux reads /proc and
 * netlink instead, so nothing on the Linux paths of `list`, `who` or `kill` may import it at start:
 * the sources and readers that need it (other OSes, fallbacks) call this when they run.
 */
export function loadSi(): Promise<Si> {
  loaded ??= import('systeminformation').then((m) => ((m as { default?: Si }).default ?? m) as Si);
  return loaded;
}
