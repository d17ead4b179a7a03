import type { SourceError } from '../../shared/model';
import type { OutStream } from './io';
import { safeText } from './text';

/** `portscope: warning: <tool>: <message> (<hint>)`, one line per failed source. */
export function formatWarning(error: SourceError): string {
  const hint = error.hint ? ` (${safeText(error.hint)})` : '';
  const message = safeText(error.message.replace(/\s+/g, ' ').trim());
  return `portscope: warning: ${safeText(error.tool)}: ${message}${hint}\n`;
}

/** Print every source error to stderr; failure is a visible state, never an empty table. */
export function printWarnings(stderr: OutStream, errors: readonly SourceError[]): void {
  for (const error of errors) stderr.write(formatWarning(error));
}
