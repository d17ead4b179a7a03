// First: move the session token from the URL fragment into sessionStorage and off the address bar,
// then zod in jitless mode before any schema is parsed (the CSP forbids eval).
import './api/adopt-token';
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { App, pageView } from './app';
import { startSettings } from './features/settings';
import { createPortStore } from './store';

// The page's one api, store and settings, created and started here (tests create their own).
const view = pageView(window.location.search);
const api = getApi();
const store = createPortStore(api);
store.start();
startSettings(api, { store, announce: view === 'main' });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={store} view={view} />
    </StrictMode>,
  );
}
