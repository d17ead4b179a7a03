import { KillDialog } from './features/kill';
import { CommandPalette } from './features/palette';
import { SettingsDialog } from './features/settings';
import { Toaster } from './features/toast';
import { startStore } from './store';
import { MainView } from './views/main';
import { QuickView } from './views/quick';
import './styles/app.css';

/** Which view this page shows: `?view=quick` is the tray's quick view, anything else the main window. */
export function pageView(search: string): 'quick' | 'main' {
  return new URLSearchParams(search).get('view') === 'quick' ? 'quick' : 'main';
}

/** The renderer root: one store, one kill dialog and one toaster shared by every view. */
export function App({ view = pageView(window.location.search) }: { view?: 'quick' | 'main' }) {
  startStore();
  return (
    <>
      {view === 'quick' ? <QuickView /> : <MainView />}
      {view === 'main' && <CommandPalette />}
      {view === 'main' && <SettingsDialog />}
      <KillDialog />
      <Toaster />
    </>
  );
}
