import type { SourceError } from '../../../shared/model';
import { isQuietNote } from '../../../shared/socket-rules';
import { useConnection, useErrors, useLoadError } from '../store';

/** Notes that are a state, not a failure: one muted line each, no banner, no alert role. */
function QuietNotes({ notes }: { notes: readonly SourceError[] }) {
  return (
    <p className="ps-muted ps-quiet-note" role="status">
      {notes.map((n) => `${n.message.replace(/\.\s*$/, '')}. ${n.hint ?? ''}`).join(' ')}
    </p>
  );
}

/** What to do about a failed source, when the engine did not say. */
function defaultHint(e: SourceError): string {
  switch (e.kind) {
    case 'missing':
      return `Install ${e.tool} or make sure it is on the PATH, then Portscope picks it up on the next poll.`;
    case 'permission':
      return 'Run Portscope as an administrator (or the owning user) to see these sockets.';
    case 'timeout':
      return `${e.tool} did not answer in time; Portscope keeps trying and shows the last rows it had.`;
    default:
      return 'Portscope keeps trying on every poll; the rows shown may be incomplete.';
  }
}

const KIND: Record<SourceError['kind'], string> = {
  missing: 'is missing',
  failed: 'failed',
  timeout: 'timed out',
  permission: 'was denied permission',
};

/**
 * Failure is a visible state: a banner says which tool failed, how, and what to do. The table
 * keeps the last rows it had underneath instead of going blank.
 */
export function ErrorBanner() {
  const all = useErrors();
  // A quiet note (containers not named: the engine's socket refused us) is a line, never an alert.
  const errors = all.filter((e) => !isQuietNote(e));
  const notes = all.filter(isQuietNote);
  const loadError = useLoadError();
  const connection = useConnection();
  if (errors.length === 0 && !loadError && connection !== 'closed' && connection !== 'expired')
    return notes.length === 0 ? null : <QuietNotes notes={notes} />;
  return (
    <div className="ps-banner" role="alert">
      <div>
        {connection === 'closed' && (
          <p>
            <strong>Lost the connection to the Portscope engine.</strong> Reconnecting… If this lasts, check
            that Portscope (or <code>portscope serve</code>) is still running.
          </p>
        )}
        {connection === 'expired' && (
          <p>
            <strong>This page’s session has ended.</strong> Portscope was restarted with a new token, or this
            tab was opened without the URL that <code>portscope serve</code> printed: open that URL. Rows
            shown below are the last ones this page saw.
          </p>
        )}
        {loadError && connection !== 'expired' && <p>{loadError}</p>}
        {errors.map((e) => (
          <p key={`${e.source}|${e.tool}|${e.kind}`}>
            <strong>
              {e.tool} {KIND[e.kind]}
            </strong>{' '}
            ({e.source}): {e.message.replace(/\.\s*$/, '')}. {e.hint ?? defaultHint(e)}
          </p>
        ))}
      </div>
    </div>
  );
}
