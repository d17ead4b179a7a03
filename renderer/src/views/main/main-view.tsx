import { DetailsPanel } from '../../components/details-panel';
import { ErrorBanner } from '../../components/error-banner';
import { ExportButtons } from '../../components/export-buttons';
import { FilterBox } from '../../components/filter-box';
import { PortTable } from '../../components/port-table';
import { StatusBar } from '../../components/status-bar';
import { ViewSwitch } from '../../components/view-switch';
import { HistoryView, useHistoryStore } from '../../features/history';
import { SettingsButton } from '../../features/settings';

/** The main window: toolbar, source-error banner, the grid with its details panel, status bar. */
export function MainView() {
  const history = useHistoryStore((s) => s.open);
  return (
    <div className="ps-app">
      <div className="ps-toolbar">
        <ViewSwitch />
        <FilterBox />
        <span className="ps-toolbar-spacer" />
        <ExportButtons />
        <SettingsButton />
      </div>
      <ErrorBanner />
      <main className="ps-main">
        {history ? (
          <HistoryView />
        ) : (
          <>
            <PortTable />
            <DetailsPanel />
          </>
        )}
      </main>
      <StatusBar />
    </div>
  );
}
