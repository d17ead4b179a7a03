import type { Owner, SocketRow } from '../../../shared/model';
import { holderText } from '../../../shared/socket-rules';

/** The real user of a holder when the engine reports one (set only when it differs from the effective one). */
function realUser(o: Owner): string | null {
  const real = (o.process as { realUser?: unknown } | null)?.realUser;
  return typeof real === 'string' && real !== '' && real !== o.process?.user ? real : null;
}

/**
 * Every process that holds the socket, parent first: PID, name, user (the effective one, as ps and
 * lsof show it; the real one beside it when it differs) and command line. All values are text.
 */
export function HoldersSection({ row, privileged }: { row: SocketRow; privileged: boolean }) {
  if (row.owners.length === 0) {
    return (
      <section>
        <h3>Holders</h3>
        <p className="ps-muted">
          {holderText(row, privileged)}
          {row.holder === 'hidden' && '. Run Portscope as that user or as an administrator to see it.'}
        </p>
      </section>
    );
  }
  return (
    <section>
      <h3>Holders ({row.owners.length})</h3>
      <ul className="ps-holder-list" aria-label="Holders">
        {row.owners.map((o, i) => {
          const real = realUser(o);
          return (
            <li key={o.pid}>
              <div className="ps-holder-head">
                <span className="ps-mono">{o.pid}</span>
                <strong>{o.process?.name ?? '(exited)'}</strong>
                {i === 0 && row.owners.length > 1 && <span className="ps-muted">parent</span>}
                <span className="ps-muted">
                  {o.process?.user || '—'}
                  {real && ` (real user ${real})`}
                </span>
              </div>
              <pre className="ps-cmdline">{o.process?.command || '(not readable)'}</pre>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "yes", "no (dual-stack)" or "unknown" for an IPv6 socket's IPV6_V6ONLY; null for IPv4. */
export function v6onlyText(row: Pick<SocketRow, 'family' | 'v6only'>): string | null {
  if (row.family !== 6) return null;
  return row.v6only === null ? 'unknown' : row.v6only ? 'yes' : 'no (dual-stack: takes IPv4 too)';
}

/** The socket's inode: 0 is the kernel saying no file descriptor refers to it any more. */
export function inodeText(inode: number | null): string {
  if (inode === null) return 'unknown';
  return inode === 0 ? '0 (no process refers to it)' : String(inode);
}

/** The socket's own user, as the kernel reports it (named even when its holder is hidden). */
export function socketUserText(row: Pick<SocketRow, 'user' | 'uid'>): string {
  if (row.user && row.uid !== null) return `${row.user} (uid ${row.uid})`;
  return row.user ?? (row.uid !== null ? `uid ${row.uid}` : 'unknown');
}
