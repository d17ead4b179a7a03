export { CloseConnectionDialog } from './close-connection-dialog';
export type { ClosePhase, CloseTarget } from './close-connection-store';
export { useCloseConnectionStore } from './close-connection-store';
