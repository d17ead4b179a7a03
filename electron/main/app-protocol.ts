import { protocol } from 'electron';
import { serveAppFile } from './app-files';
import { APP_SCHEME } from './security-rules';

/**
 * The renderer's own origin, portscope://app, instead of file:// (Electron checklist 18). Standard
 * (relative URLs, its own origin and storage) and secure (a secure context, like https), with fetch
 * and CORS so Vite's `<script type="module" crossorigin>` loads; never bypassCSP, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
} as const;

/** Must run before the app's 'ready' event (Electron's rule for registerSchemesAsPrivileged). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** Serve the built renderer folder `root` on the scheme (after 'ready'; default session). */
export function serveAppScheme(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppFile(request, root));
}
