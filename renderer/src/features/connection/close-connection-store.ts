import { create } from 'zustand';
import { holdersLabel } from '../../../../shared/format';
import type { CloseConnectionResult, ConnectionRef, SocketRow } from '../../../../shared/model';
import { closableConnection, connectionClosed } from '../../../../shared/socket-rules';
import { getApi } from '../../api';
import { toast } from '../toast';

/**
 * The Close connection confirmation. What it targets is copied out of the row when it opens (the
 * 4-tuple, the cookie, the process name), so a delta that replaces or removes the row cannot change
 * what gets closed; the engine re-checks the cookie on that 4-tuple right before it acts.
 */

export interface CloseTarget {
  connection: ConnectionRef;
  /** Who holds it, as the table said ("node", "nginx +2 workers", "(no process)"). */
  holder: string;
  pid: number | null;
  state: SocketRow['state'];
}

export type ClosePhase = 'closed' | 'ask' | 'running' | 'result';

export interface CloseConnectionState {
  phase: ClosePhase;
  target: CloseTarget | null;
  result: CloseConnectionResult | null;
  /** Open the confirmation for a row; does nothing for a row that cannot be closed. */
  open(row: SocketRow): void;
  confirm(elevate?: boolean): Promise<void>;
  close(): void;
}

export const useCloseConnectionStore = create<CloseConnectionState>()((set, get) => ({
  phase: 'closed',
  target: null,
  result: null,
  open(row) {
    const connection = closableConnection(row);
    if (!connection) return;
    set({
      phase: 'ask',
      result: null,
      target: { connection, holder: holdersLabel(row), pid: row.pid, state: row.state },
    });
  },
  async confirm(elevate = false) {
    const { target, phase } = get();
    if (!target || phase === 'running') return;
    set({ phase: 'running' });
    let result: CloseConnectionResult;
    try {
      result = await getApi().request('connection:close', { connection: target.connection, elevate });
    } catch (e) {
      result = { outcome: 'failed', message: (e as Error).message, canElevate: false };
    }
    if (get().target !== target) return; // closed meanwhile
    if (connectionClosed(result.outcome)) {
      toast(result.message, 'success');
      set({ phase: 'closed', target: null, result: null });
      return;
    }
    set({ phase: 'result', result });
  },
  close: () => set({ phase: 'closed', target: null, result: null }),
}));
