export { KillDialog } from './kill-dialog';
export type { KillPhase, KillState, KillTarget } from './kill-store';
export { useKillStore } from './kill-store';
export { outcomeKind, outcomeText, socketLabel } from './kill-text';
