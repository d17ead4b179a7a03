import type { SocketRow } from '../../../../shared/model';
import { containerText, supervisorText } from '../../../../shared/socket-rules';

/** Details rows for what is behind a socket: the publishing container, the holder's container and service. */
export function BehindDetails({ row }: { row: SocketRow }) {
  const c = row.container ?? row.process?.container ?? null;
  const sup = row.process?.supervisor ?? null;
  return (
    <>
      {c && (
        <>
          <dt>Container</dt>
          <dd>
            {containerText(c)} <span className="ps-mono ps-muted">{c.id}</span>
            {c.containerPort ? ` → ${c.containerPort}` : ''}
          </dd>
        </>
      )}
      {sup && (
        <>
          <dt>Supervised by</dt>
          <dd>{supervisorText(sup)}</dd>
        </>
      )}
    </>
  );
}
