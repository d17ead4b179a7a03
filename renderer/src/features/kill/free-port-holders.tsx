import type { FreePortPlan } from '../../../../shared/model';
import { holderText } from '../../../../shared/socket-rules';
import { middleEllipsis } from '../../components/middle-ellipsis';
import { holderLines, holdersSummary } from './free-port-text';

/** A command line longer than this is cut in the middle (the full text is its tooltip). */
const COMMAND_CHARS = 160;

/**
 * Who freeing the port ends: "nginx (PID 10) and 4 workers", then each of them with its PID, its
 * user (topmost holders) and command, and the sockets whose holder this user cannot see (they keep
 * the port whatever we do).
 * Names and command lines are hostile input: rendered as text only.
 */
export function FreePortHolders({ plan, planning }: { plan: FreePortPlan | null; planning: boolean }) {
  if (planning || !plan)
    return <p className="ps-kill-note ps-muted">Looking for every process that holds it…</p>;
  const lines = holderLines(plan);
  const hidden = plan.hidden[0];
  return (
    <div className="ps-kill-holders">
      {lines.length > 0 && (
        <p className="ps-kill-note" data-testid="kill-holders-summary">
          Ends {holdersSummary(plan)}.
        </p>
      )}
      {lines.length > 0 && (
        <ul className="ps-kill-list" aria-label="Processes that will end">
          {lines.map((h) => (
            <li key={h.pid} className={h.root ? undefined : 'ps-kill-worker'}>
              {h.root ? '' : '└ '}
              {h.name || '(unknown)'} (PID {h.pid})
              {h.user && (
                <>
                  {' '}
                  <span className="ps-kill-user">{h.user}</span>
                </>
              )}{' '}
              {h.command && (
                <code className="ps-kill-command" title={h.command}>
                  {middleEllipsis(h.command, COMMAND_CHARS)}
                </code>
              )}
            </li>
          ))}
        </ul>
      )}
      {hidden && (
        <p className="ps-kill-note ps-kill-refused">
          Also held by {holderText(hidden)}: that socket keeps the port whatever is sent.
        </p>
      )}
    </div>
  );
}
