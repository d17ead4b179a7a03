export { shouldConfirmKill } from './confirm-policy';
export { KillDialog } from './kill-dialog';
export type { KillOpenOptions, KillPhase, KillState, KillTarget } from './kill-store';
export { presentKillResultsIn, setKillConfirmPolicy, targetKey, useKillStore } from './kill-store';
export { outcomeKind, outcomeText, socketLabel } from './kill-text';
