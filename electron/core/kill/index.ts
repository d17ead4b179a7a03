/**
 * The kill engine (issue 5): end the process the user saw, never another one.
 * Public API; the Electron main side, the web server and `portscope kill` all go through this.
 */
export { createKiller } from './killer';
export type { ElevationRunner, FreePortRequest, Killer, KillerOptions, KillRequest } from './types';
