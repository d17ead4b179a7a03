import { useEffect, useId } from 'react';
import { create } from 'zustand';

const useMounted = create<{ ids: Record<string, string[]> }>(() => ({ ids: {} }));

/**
 * True for the first mounted instance of `name` only. The quick view mounts its own kill dialog
 * and toaster so it works alone (a tray window), and the app may mount them too: whichever comes
 * first renders, so there is never a second dialog or a second live region.
 */
export function useSingleton(name: string): boolean {
  const id = useId();
  useEffect(() => {
    useMounted.setState((s) => ({ ids: { ...s.ids, [name]: [...(s.ids[name] ?? []), id] } }));
    return () =>
      useMounted.setState((s) => ({
        ids: { ...s.ids, [name]: (s.ids[name] ?? []).filter((x) => x !== id) },
      }));
  }, [name, id]);
  return useMounted((s) => s.ids[name]?.[0] === id);
}
