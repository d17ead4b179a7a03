import type { HostCapabilities, PortscopeApi } from '../../../shared/contract';

/**
 * What the host behind the api can do, asked once (host:capabilities) instead of guessed from the
 * transport. Asked again on the next connection 'open' when the first ask failed.
 */
export function loadCapabilities(api: PortscopeApi, then: (caps: HostCapabilities) => void): () => void {
  let done = false;
  let asking = false;
  let stopped = false;
  const ask = async () => {
    if (done || asking || stopped) return;
    asking = true;
    try {
      const caps = await api.request('host:capabilities', {});
      if (stopped) return;
      done = true;
      then(caps);
    } catch {
      // The next connection 'open' asks again; until then the page assumes nothing extra.
    } finally {
      asking = false;
    }
  };
  const off = api.onConnection((state) => {
    if (state === 'open') void ask();
  });
  return () => {
    stopped = true;
    off();
  };
}
