import { useEffect, useId, useRef } from 'react';
import { middleEllipsis } from '../../components/middle-ellipsis';
import { RestartedNote } from '../behind/stop-service-button';
import { useModal } from '../modal/use-modal';
import { FreePortHolders } from './free-port-holders';
import { stepText, stepTitle } from './kill-steps';
import { useKillStore } from './kill-store';
import { outcomeText, socketLabel } from './kill-text';
import './kill.css';

/** A command line longer than this is cut in the middle (the full text is its tooltip). */
export const COMMAND_CHARS = 160;

/** The engine's default grace period, said out loud so the wait is not a mystery. */
const GRACE_TEXT = '3 s';

/**
 * The kill confirmation. Renders nothing while closed. Everything it shows comes from the frozen
 * target and the engine's plan, never from the live table, and is rendered as text: process names
 * and command lines are hostile input.
 */
export function KillDialog() {
  const open = useKillStore((s) => s.phase !== 'closed' && s.target !== null);
  return open ? <OpenKillDialog /> : null;
}

function OpenKillDialog() {
  const phase = useKillStore((s) => s.phase);
  const target = useKillStore((s) => s.target);
  const tree = useKillStore((s) => s.tree);
  const singlePlan = useKillStore((s) => s.plan);
  const freePlan = useKillStore((s) => s.freePlan);
  const planError = useKillStore((s) => s.planError);
  const result = useKillStore((s) => s.result);
  const freeResult = useKillStore((s) => s.freeResult);
  const ask = useKillStore((s) => s.ask);
  const sent = useKillStore((s) => s.sent);
  const { close, setTree, confirm, force, elevate } = useKillStore.getState();

  const dialogRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descId = useId();
  const treeId = useId();
  useModal(dialogRef, true, close);

  const portMode = target?.mode === 'port';
  const plan = portMode ? freePlan : singlePlan;
  const busy = phase === 'running' || phase === 'forcing';
  const blocked = Boolean(plan?.refused) || planError !== null;
  const canConfirm = phase === 'ready' && plan !== null && !blocked;

  // Focus follows the step: the dialog while planning, Kill once the plan is shown (so Enter
  // confirms), Close once there is an answer (so a stray Enter never forces anything).
  useEffect(() => {
    if (phase === 'ready' && canConfirm) confirmRef.current?.focus();
    else if (phase === 'result' || (phase === 'ready' && blocked)) closeRef.current?.focus();
    else if (!dialogRef.current?.contains(document.activeElement)) dialogRef.current?.focus();
  }, [phase, canConfirm, blocked]);

  if (!target) return null;
  const proc = target.process;
  const sockets = plan?.sockets.length ? plan.sockets : [target.row];
  const children = singlePlan?.children ?? [];

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter' || e.defaultPrevented) return;
    const el = e.target as HTMLElement;
    // Other buttons act on Enter themselves; on Kill (or anywhere else) Enter confirms, once: the
    // default is prevented so the button's own click does not send a second request.
    if ((el.tagName === 'BUTTON' && el !== confirmRef.current) || el.tagName === 'A') return;
    e.preventDefault();
    if (canConfirm) void confirm();
  };

  return (
    <div className="ps-modal-backdrop">
      <div
        ref={dialogRef}
        className="ps-modal ps-kill"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="ps-kill-title">
          {stepTitle(phase, proc.label || proc.name || 'this process', ask, result)}
        </h2>
        <p id={descId} className="ps-kill-sub" data-testid="kill-step">
          {stepText(
            phase,
            portMode
              ? `Frees ${socketLabel(target.row)}: every process that holds it ends`
              : `Holding ${socketLabel(target.row)}`,
            sent,
            result,
            GRACE_TEXT,
          )}
        </p>
        {portMode && <FreePortHolders plan={freePlan} planning={phase === 'planning'} />}

        <dl className="ps-kill-facts">
          {/* Freeing a port: the holders above already name each process, its PID, user and command. */}
          {!portMode && (
            <>
              <dt>Process</dt>
              <dd data-testid="kill-name">{proc.name || '(unknown)'}</dd>
              <dt>PID</dt>
              <dd data-testid="kill-pid">{target.identity.pid}</dd>
              <dt>User</dt>
              <dd>{proc.user || '(unknown)'}</dd>
              <dt>Command</dt>
              <dd>
                <code className="ps-kill-command" title={proc.command || undefined}>
                  {middleEllipsis(proc.command || proc.path || '(not readable)', COMMAND_CHARS)}
                </code>
              </dd>
            </>
          )}
          <dt>Ports</dt>
          <dd>
            <ul className="ps-kill-list" aria-label="Ports it holds">
              {sockets.map((s) => (
                <li key={`${s.protocol}-${s.localAddress}-${s.localPort}`}>{socketLabel(s)}</li>
              ))}
            </ul>
          </dd>
          {tree && (
            <>
              <dt>Children</dt>
              <dd>
                {phase === 'planning' ? (
                  <span className="ps-muted">Looking for child processes…</span>
                ) : singlePlan && children.length > 0 ? (
                  <ul className="ps-kill-list" aria-label="Child processes that will also end">
                    {children.map((c) => (
                      <li key={c.pid}>
                        {c.name} (PID {c.pid}){' '}
                        <code className="ps-kill-command" title={c.command}>
                          {middleEllipsis(c.command, COMMAND_CHARS)}
                        </code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="ps-muted">No child processes.</span>
                )}
              </dd>
            </>
          )}
        </dl>

        {!portMode && (
          <label className="ps-kill-tree" htmlFor={treeId}>
            <input
              id={treeId}
              type="checkbox"
              checked={tree}
              disabled={busy || phase === 'result'}
              onChange={(e) => setTree(e.target.checked)}
            />
            Kill the whole tree (the process and all its children)
          </label>
        )}

        {plan?.refused && (
          <p className="ps-kill-note ps-kill-refused" role="alert">
            Refused: {plan.refused.replace(/\.$/, '')}. Nothing will be sent.
          </p>
        )}
        {planError && (
          <p className="ps-kill-note ps-kill-refused" role="alert">
            Could not check what would be killed: {planError}
          </p>
        )}
        {phase === 'planning' && <p className="ps-kill-note ps-muted">Checking what would be killed…</p>}
        {busy && (
          <p className="ps-kill-note ps-kill-progress" role="status">
            {phase === 'running'
              ? `Stopping… waiting up to ${GRACE_TEXT}`
              : sent?.signal === 'elevated'
                ? 'Waiting for the administrator prompt…'
                : 'Force killing…'}
          </p>
        )}
        {phase === 'result' && freeResult?.outcome === 'restarted' && (
          <RestartedNote res={freeResult} onDone={close} />
        )}
        {phase === 'result' && result && freeResult?.outcome !== 'restarted' && (
          <p className={`ps-kill-note ps-kill-result ps-kill-${result.outcome}`} role="alert">
            {outcomeText(result, proc.name)}
          </p>
        )}

        <div className="ps-kill-actions">
          {phase === 'result' && result?.canForce && (
            <button type="button" className="ps-action ps-action-danger" onClick={() => void force()}>
              Force kill
            </button>
          )}
          {phase === 'result' && result?.canElevate && (
            <button type="button" className="ps-action ps-action-danger" onClick={() => void elevate()}>
              Retry as administrator
            </button>
          )}
          {phase !== 'result' && (
            <button
              ref={confirmRef}
              type="button"
              className="ps-action ps-action-danger"
              disabled={!canConfirm}
              onClick={() => void confirm()}
            >
              {tree && !portMode ? 'Kill tree' : 'Kill'}
            </button>
          )}
          <button ref={closeRef} type="button" className="ps-action" disabled={busy} onClick={close}>
            {phase === 'result' ? 'Close' : 'Cancel'}
          </button>
        </div>
      </div>
    </div>
  );
}
