import {
  endpoint,
  formatAgo,
  formatBytes,
  formatCpu,
  formatDateTime,
  NOT_VISIBLE,
  ownerText,
  protocolLabel,
  stateLabel,
} from '../../../shared/format';
import { localAddressText } from '../../../shared/view';
import { useDetailsOpen, usePortState, usePortStoreApi, useSelectedRow, useSocketsOfPid } from '../store';
import { CloseIcon } from './icons';
import { askKill, canOpen, copyRows, killLabel, openPort, openUrl } from './row-actions';
import { useProcessUsage } from './use-process-usage';

/**
 * The selected row's process: full command line, path, user, start time, CPU and memory, and every
 * socket it holds. All values are rendered as text.
 */
export function DetailsPanel() {
  const open = useDetailsOpen();
  const vr = useSelectedRow();
  const sockets = useSocketsOfPid(vr?.row.pid ?? null);
  const store = usePortStoreApi();
  const gone = usePortState((s) => (vr ? !!s.meta.get(vr.key)?.removedAt : false));
  const usage = useProcessUsage(open ? (vr?.row.pid ?? null) : null, open ? (vr?.row.process ?? null) : null);
  if (!open || !vr) return null;
  const row = vr.row;
  const p = row.process;
  const title = ownerText(row);
  return (
    <aside className="ps-details" aria-label="Details">
      <header>
        <h2>
          {title}
          {row.pid !== null && <span className="ps-muted"> · PID {row.pid}</span>}
        </h2>
        <button
          type="button"
          className="ps-icon-btn"
          aria-label="Close details"
          title="Close (Esc)"
          onClick={() => store.getState().closeDetails()}
        >
          <CloseIcon />
        </button>
      </header>
      <div className="ps-details-actions">
        {row.pid !== null && !gone && (
          <button type="button" className="ps-btn ps-btn-danger" onClick={() => askKill(row)}>
            {killLabel(row)}
          </button>
        )}
        {canOpen(row) && !gone && (
          <button type="button" className="ps-btn" onClick={() => void openPort(row)}>
            Open {openUrl(row.localPort)}
          </button>
        )}
        <button type="button" className="ps-btn" onClick={() => void copyRows(vr.members)}>
          Copy row
        </button>
      </div>
      <section>
        <h3>Socket</h3>
        <dl>
          <dt>Protocol</dt>
          <dd>{vr.members.map(protocolLabel).join(' + ')}</dd>
          <dt>Local</dt>
          <dd className="ps-mono">
            {localAddressText(vr)} port {row.localPort}
          </dd>
          {row.remoteAddress !== null && (
            <>
              <dt>Remote</dt>
              <dd className="ps-mono">{endpoint(row.remoteAddress, row.remotePort)}</dd>
            </>
          )}
          <dt>State</dt>
          <dd>{gone ? 'Closed' : stateLabel(row.state)}</dd>
          <dt>Service</dt>
          <dd>{row.service ?? '—'}</dd>
        </dl>
      </section>
      <section>
        <h3>Process</h3>
        {p === null ? (
          <p className="ps-muted">
            {row.state === 'TIME_WAIT'
              ? 'No process holds this socket any more: the kernel keeps it briefly after the connection closed.'
              : `The owner is ${NOT_VISIBLE}. Run Portscope as that user or as an administrator to see it.`}
          </p>
        ) : (
          <>
            <dl>
              <dt>User</dt>
              <dd>{p.user || '—'}</dd>
              <dt>Started</dt>
              <dd>
                {formatDateTime(p.startTime)}
                {p.startTime ? (
                  <span className="ps-muted"> ({formatAgo(p.startTime, Date.now())})</span>
                ) : null}
              </dd>
              <dt>CPU</dt>
              <dd>{formatCpu(usage?.cpu ?? p.cpu)}</dd>
              <dt>Memory</dt>
              <dd>{formatBytes(usage?.memory ?? p.memory)}</dd>
              <dt>Parent PID</dt>
              <dd>{p.ppid ?? '—'}</dd>
              <dt>Path</dt>
              <dd className="ps-mono">{p.path || '—'}</dd>
            </dl>
            <h3>Command line</h3>
            <pre className="ps-cmdline">{p.command || '(not readable)'}</pre>
          </>
        )}
      </section>
      {row.pid !== null && (
        <section>
          <h3>Sockets of this process ({sockets.length})</h3>
          <ul className="ps-socket-list">
            {sockets.map((s) => (
              <li key={s.key}>
                <span>{protocolLabel(s)}</span>
                <span>
                  {endpoint(s.localAddress, s.localPort)}
                  {s.remoteAddress !== null && ` → ${endpoint(s.remoteAddress, s.remotePort)}`}
                </span>
                <span className="ps-muted">{stateLabel(s.state)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}
