import type { FreePortResult } from '../../../../shared/model';
import { stopServiceFor } from './behind-actions';

/**
 * The kill dialog's answer when a supervisor took the port again: what happened, and Stop service
 * (the action that really frees the port). A plain respawning parent has no such action.
 */
export function RestartedNote({ res, onDone }: { res: FreePortResult; onDone: () => void }) {
  if (res.outcome !== 'restarted' || !res.restartedBy) return null;
  return (
    <div className="ps-kill-note" role="alert">
      <p>{res.message}</p>
      {res.restartedBy.kind !== 'parent' && (
        <button
          type="button"
          className="ps-action ps-action-danger"
          onClick={() => void stopServiceFor(res).then((ok) => ok && onDone())}
        >
          Stop service
        </button>
      )}
    </div>
  );
}
