import { create } from 'zustand';

/** How a toast reads: neutral, good news, or something the user must know went wrong. */
export type ToastKind = 'info' | 'success' | 'error';

export interface ToastItem {
  id: number;
  message: string;
  kind: ToastKind;
  /** What the toast is about (a kill's target): a newer toast with the same key replaces this one. */
  key?: string;
}

interface ToastState {
  toasts: ToastItem[];
  push(message: string, kind: ToastKind, key?: string): number;
  dismiss(id: number): void;
}

/** At most this many toasts on screen; older ones give way so a burst never covers the table. */
export const MAX_TOASTS = 4;
/** Errors stay longer than good news: they usually need reading twice. */
export const TOAST_MS: Record<ToastKind, number> = { info: 4_000, success: 4_000, error: 8_000 };

let nextId = 1;

/** The toast queue (module-scoped so `toast()` works from anywhere, including outside React). */
export const useToastStore = create<ToastState>((set) => ({
  toasts: [],
  push(message, kind, key) {
    const id = nextId++;
    // One voice per target: a newer result replaces the older one (no red "still running" beside a
    // green "exited" for the same process).
    set((s) => ({
      toasts: [
        ...s.toasts.filter((t) => key === undefined || t.key !== key),
        { id, message, kind, key },
      ].slice(-MAX_TOASTS),
    }));
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

/**
 * Show a short message to the user (rendered as text by `<Toaster />`, announced politely).
 * `key` names what it is about: a later toast with the same key replaces it. Returns the toast id
 * so a caller can dismiss it early.
 */
export function toast(message: string, kind: ToastKind = 'info', key?: string): number {
  const id = useToastStore.getState().push(message, kind, key);
  setTimeout(() => useToastStore.getState().dismiss(id), TOAST_MS[kind]);
  return id;
}
