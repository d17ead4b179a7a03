import { CloseConnectionDialog } from './features/connection';
import { KillDialog } from './features/kill';
import { CommandPalette } from './features/palette';
import { SettingsDialog } from './features/settings';
import { Toaster } from './features/toast';
import { type PortStore, PortStoreProvider } from './store';
import { MainView } from './views/main';
import { QuickView } from './views/quick';
import './styles/app.css';
import './styles/chrome.css';

export type PageView = 'quick' | 'main';

/** Which view this page shows: `?view=quick` is the tray's quick view, anything else the main window. */
export function pageView(search: string): PageView {
  return new URLSearchParams(search).get('view') === 'quick' ? 'quick' : 'main';
}

/**
 * Every dialog and the toaster, mounted here once for the whole page: views open them through
 * their stores and never mount their own.
 */
export function Dialogs({ view }: { view: PageView }) {
  return (
    <>
      {view === 'main' && <CommandPalette />}
      {view === 'main' && <SettingsDialog />}
      <KillDialog />
      <CloseConnectionDialog />
      <Toaster />
    </>
  );
}

/** The renderer root: the page's store for every component, its view, and the dialogs once. */
export function App({ store, view }: { store: PortStore; view: PageView }) {
  return (
    <PortStoreProvider store={store}>
      {view === 'quick' ? <QuickView /> : <MainView />}
      <Dialogs view={view} />
    </PortStoreProvider>
  );
}
