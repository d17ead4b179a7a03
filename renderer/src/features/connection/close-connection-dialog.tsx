import { useEffect, useId, useRef } from 'react';
import { endpoint, stateLabel } from '../../../../shared/format';
import { useModal } from '../modal/use-modal';
import { useSettingsStore } from '../settings/settings-store';
import { useCloseConnectionStore } from './close-connection-store';
import './connection.css';

/**
 * The Close connection confirmation: names the 4-tuple and the process that holds it, says what
 * the peer will see, and sends nothing until confirmed. Rendered as text only (names are hostile).
 * It reuses the kill dialog's surface (kill.css: .ps-modal, .ps-kill-*).
 */
export function CloseConnectionDialog() {
  const open = useCloseConnectionStore((s) => s.phase !== 'closed' && s.target !== null);
  return open ? <OpenCloseDialog /> : null;
}

function OpenCloseDialog() {
  const phase = useCloseConnectionStore((s) => s.phase);
  const target = useCloseConnectionStore((s) => s.target);
  const result = useCloseConnectionStore((s) => s.result);
  const canPrompt = useSettingsStore((s) => s.capabilities?.elevate === true);
  const { close, confirm } = useCloseConnectionStore.getState();
  const dialogRef = useRef<HTMLDivElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descId = useId();
  useModal(dialogRef, true, close);

  useEffect(() => {
    if (phase === 'ask') confirmRef.current?.focus();
    else if (phase === 'result') closeRef.current?.focus();
  }, [phase]);

  if (!target) return null;
  const c = target.connection;
  const local = endpoint(c.localAddress, c.localPort);
  const remote = endpoint(c.remoteAddress, c.remotePort);
  const busy = phase === 'running';

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
      >
        <h2 id={titleId} className="ps-kill-title">
          Close this connection?
        </h2>
        <p id={descId} className="ps-kill-sub">
          The connection is destroyed in the kernel: the peer sees a reset, the program gets an error on its
          next read. The process keeps running. Nothing happens until you confirm.
        </p>
        <dl className="ps-kill-facts">
          <dt>Local</dt>
          <dd className="ps-mono" data-testid="close-local">
            {local}
          </dd>
          <dt>Remote</dt>
          <dd className="ps-mono" data-testid="close-remote">
            {remote}
          </dd>
          <dt>State</dt>
          <dd>{stateLabel(target.state)}</dd>
          <dt>Process</dt>
          <dd data-testid="close-process">
            {target.holder}
            {target.pid !== null && ` (PID ${target.pid})`}
          </dd>
        </dl>
        {busy && (
          <p className="ps-kill-note ps-kill-progress" role="status">
            Closing…
          </p>
        )}
        {phase === 'result' && result && (
          <p className={`ps-kill-note ps-kill-result ps-kill-${result.outcome}`} role="alert">
            {result.message}
          </p>
        )}
        <div className="ps-kill-actions">
          {phase === 'result' && result?.canElevate && canPrompt && (
            <button type="button" className="ps-action ps-action-danger" onClick={() => void confirm(true)}>
              Retry as administrator
            </button>
          )}
          {phase !== 'result' && (
            <button
              ref={confirmRef}
              type="button"
              className="ps-action ps-action-danger"
              disabled={busy}
              onClick={() => void confirm()}
            >
              Close connection
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
