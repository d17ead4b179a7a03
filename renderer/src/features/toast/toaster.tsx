import { useToastStore } from './toast-store';
import './toast.css';

/**
 * Where toasts appear. One polite live region: screen readers read each new message without
 * interrupting, and errors are not promoted to alerts because the dialog that caused them already
 * shows the same result in place.
 */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <div className="ps-toaster" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`ps-toast ps-toast-${t.kind}`} data-kind={t.kind}>
          <span className="ps-toast-text">{t.message}</span>
          <button
            type="button"
            className="ps-toast-close"
            aria-label="Dismiss notification"
            onClick={() => dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
