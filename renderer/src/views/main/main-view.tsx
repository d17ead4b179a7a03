import { ColumnChooserButton } from '../../components/column-chooser';
import { DetailsPanel } from '../../components/details-panel';
import { ErrorBanner } from '../../components/error-banner';
import { ExportButtons } from '../../components/export-buttons';
import { FilterBox } from '../../components/filter-box';
import { PausedBanner } from '../../components/paused-banner';
import { PortTable } from '../../components/port-table';
import { StatusBar } from '../../components/status-bar';
import { ThemeToggle } from '../../components/theme-toggle';
import { ViewSwitch } from '../../components/view-switch';
import { HistoryView, useHistoryStore } from '../../features/history';
import { SettingsButton } from '../../features/settings';

/**
 * The main window: the header (title, views, filter, columns, export, theme, settings), the banners,
 * the grid with its details panel, the status bar. Every part sits in a landmark (banner, main,
 * contentinfo) under one level-one heading, so assistive technology can jump between them.
 */
export function MainView() {
  const history = useHistoryStore((s) => s.open);
  return (
    <div className="ps-app">
      <header className="ps-toolbar">
        <h1 className="ps-app-title">Portscope</h1>
        <ViewSwitch />
        <FilterBox />
        <span className="ps-toolbar-spacer" />
        <ColumnChooserButton />
        <ExportButtons />
        <ThemeToggle />
        <SettingsButton />
      </header>
      <main className="ps-main-col">
        <PausedBanner />
        <ErrorBanner />
        <div className="ps-main">
          {history ? (
            <HistoryView />
          ) : (
            <>
              <PortTable />
              <DetailsPanel />
            </>
          )}
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
