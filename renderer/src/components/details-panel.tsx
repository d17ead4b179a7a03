import {
  endpoint,
  formatAgo,
  formatBytes,
  formatCpu,
  formatDateTime,
  holdersLabel,
  localAddressLabel,
  protocolLabel,
  stateLabel,
} from '../../../shared/format';
import { friendlyName, projectText } from '../../../shared/process-text';
import { localAddressText } from '../../../shared/view';
import { containerAction } from '../features/behind/behind-actions';
import { BehindDetails } from '../features/behind/behind-details';
import { RecentHolders } from '../features/history';
import { useDetailsOpen, usePortState, usePortStoreApi, useSelectedRow, useSocketsOfPid } from '../store';
import { BreakablePath } from './breakable-path';
import { HoldersSection, inodeText, socketUserText, v6onlyText } from './holders-section';
import { CloseIcon } from './icons';
import { NoiseActions } from './noise-actions';
import {
  askCloseConnection,
  askKill,
  canCloseConnection,
  canOpen,
  copyRows,
  killLabel,
  openPort,
  openUrl,
} from './row-actions';
import { TrafficSection } from './traffic-section';
import { useCloseSupport } from './use-close-support';
import { usePrivileged } from './use-privileged';
import { useProcessUsage } from './use-process-usage';

/**
 * The selected socket: its kernel facts (inode, socket user, device, v6only), every holder, the
 * first holder's details (path, start time, CPU and memory) and every socket it holds. All values
 * are rendered as text.
 */
export function DetailsPanel() {
  const open = useDetailsOpen();
  const vr = useSelectedRow();
  const sockets = useSocketsOfPid(vr?.row.pid ?? null);
  const store = usePortStoreApi();
  const gone = usePortState((s) => (vr ? !!s.meta.get(vr.key)?.removedAt : false));
  const privileged = usePrivileged();
  const closeSupport = useCloseSupport();
  const usage = useProcessUsage(open ? (vr?.row.pid ?? null) : null, open ? (vr?.row.process ?? null) : null);
  if (!open || !vr) return null;
  const row = vr.row;
  const p = row.process;
  const title = holdersLabel(row, privileged);
  const v6 = v6onlyText(row);
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
        {(row.pid !== null || row.container) && !gone && (
          <button type="button" className="ps-btn ps-btn-danger" onClick={() => askKill(row)}>
            {killLabel(row)}
          </button>
        )}
        {row.container && !gone && (
          <button type="button" className="ps-btn" onClick={() => void containerAction(row, 'restart')}>
            Restart container
          </button>
        )}
        {canOpen(row) && !gone && (
          <button type="button" className="ps-btn" onClick={() => void openPort(row)}>
            Open {openUrl(row.localPort)}
          </button>
        )}
        {canCloseConnection(row) && !gone && (
          <button
            type="button"
            className="ps-btn ps-btn-danger"
            // aria-disabled, not disabled: a disabled button shows no tooltip, and the tooltip is the why.
            aria-disabled={!closeSupport.supported}
            title={closeSupport.reason ?? 'Destroy this TCP connection (the peer sees a reset)'}
            onClick={() => closeSupport.supported && askCloseConnection(row)}
          >
            Close connection
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
              <dd className="ps-mono">
                {row.remoteName
                  ? `${row.remoteName} (${endpoint(row.remoteAddress, row.remotePort)})`
                  : endpoint(row.remoteAddress, row.remotePort)}
              </dd>
            </>
          )}
          {row.exposure && (
            <>
              <dt>Reach</dt>
              <dd>
                {row.exposure === 'network'
                  ? 'network: other machines can connect'
                  : 'loopback: this machine only'}
              </dd>
            </>
          )}
          <dt>State</dt>
          <dd>{gone ? 'Closed' : stateLabel(row.state)}</dd>
          <dt>Service</dt>
          <dd>
            {row.service ?? '—'}
            {row.service && row.serviceSource === 'iana' ? (
              <span className="ps-muted"> (IANA registry name)</span>
            ) : null}
          </dd>
          <dt>Inode</dt>
          <dd className="ps-mono">{vr.members.map((m) => inodeText(m.inode)).join(' + ')}</dd>
          <dt>Socket user</dt>
          <dd>{socketUserText(row)}</dd>
          <dt>Device</dt>
          <dd className="ps-mono">{row.device ?? '—'}</dd>
          {v6 !== null && (
            <>
              <dt>IPv6 only</dt>
              <dd>{v6}</dd>
            </>
          )}
          <BehindDetails row={row} />
        </dl>
      </section>
      {!gone && <NoiseActions row={row} />}
      <HoldersSection row={row} privileged={privileged} />
      <TrafficSection row={row} sockets={sockets} />
      <RecentHolders port={row.localPort} protocol={row.protocol} />
      {p !== null && (
        <section>
          <h3>{row.owners.length > 1 ? `Parent process (PID ${row.pid})` : 'Process'}</h3>
          <dl>
            {p.label && p.label !== p.name && (
              <>
                <dt>Known as</dt>
                <dd>{friendlyName(p)}</dd>
              </>
            )}
            {p.project && (
              <>
                <dt>Project</dt>
                <dd title={p.project.dir}>{projectText(p.project)}</dd>
              </>
            )}
            {p.cwd ? (
              <>
                <dt>Directory</dt>
                <dd className="ps-mono ps-path">
                  <BreakablePath text={p.cwd} />
                </dd>
              </>
            ) : null}
            <dt>User</dt>
            <dd>{p.user || '—'}</dd>
            <dt>Started</dt>
            <dd>
              {formatDateTime(p.startTime)}
              {p.startTime ? <span className="ps-muted"> ({formatAgo(p.startTime, Date.now())})</span> : null}
            </dd>
            <dt>CPU</dt>
            <dd>{formatCpu(usage?.cpu ?? p.cpu)}</dd>
            <dt>Memory</dt>
            <dd>{formatBytes(usage?.memory ?? p.memory)}</dd>
            <dt>Parent PID</dt>
            <dd>{p.ppid ?? '—'}</dd>
            <dt>Path</dt>
            <dd className="ps-mono ps-path">{p.path ? <BreakablePath text={p.path} /> : '—'}</dd>
          </dl>
        </section>
      )}
      {row.pid !== null && (
        <section>
          <h3>Sockets of this process ({sockets.length})</h3>
          <ul className="ps-socket-list">
            {sockets.map((s) => (
              <li key={s.key}>
                <span>{protocolLabel(s)}</span>
                <span>
                  {endpoint(localAddressLabel(s), s.localPort)}
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
