import { adoptUrlToken } from './session-token';

/**
 * Side effect only, imported first by main.tsx: the token leaves the address bar before any other
 * module of the page runs.
 */
adoptUrlToken(window);

// Pasting the new printed URL into a tab already showing this page changes only the fragment, and a
// fragment change loads no page: take the new token and start over with it.
window.addEventListener('hashchange', () => {
  if (adoptUrlToken(window)) window.location.reload();
});
