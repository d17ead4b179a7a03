import type { Theme } from '../../../shared/settings';
import { useSettings, useSettingsStore } from '../features/settings/settings-store';
import { toast } from '../features/toast';

/** The order one click walks through: system → light → dark → system. */
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const NAME: Record<Theme, string> = { system: 'same as the system', light: 'light', dark: 'dark' };

/** The theme after `t` (what one click chooses). */
export function nextTheme(t: Theme): Theme {
  return NEXT[t];
}

/**
 * The header's theme toggle: one button that says the theme in force and switches to the next.
 * Saved in settings like the dialog's choice (every window follows).
 */
export function ThemeToggle() {
  const theme = useSettings((s) => s.theme);
  const next = nextTheme(theme);
  const label = `Theme: ${NAME[theme]}. Switch to ${NAME[next]}`;
  return (
    <button
      type="button"
      className="ps-btn ps-theme-toggle"
      aria-label={label}
      title={label}
      data-theme-choice={theme}
      onClick={() =>
        void useSettingsStore
          .getState()
          .save({ theme: next })
          .catch((e) => toast(`Theme not saved: ${(e as Error)?.message ?? String(e)}`, 'error'))
      }
    >
      <ThemeIcon theme={theme} />
    </button>
  );
}

// biome-ignore-start lint/a11y/noSvgWithoutTitle: decorative (aria-hidden); the button carries the name
/** Sun (light), moon (dark), half disc (system). */
function ThemeIcon({ theme }: { theme: Theme }) {
  const common = {
    viewBox: '0 0 16 16',
    width: 15,
    height: 15,
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 1.5,
    'aria-hidden': true,
    focusable: false,
  } as const;
  if (theme === 'light')
    return (
      <svg {...common}>
        <circle cx="8" cy="8" r="3" />
        <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
      </svg>
    );
  if (theme === 'dark')
    return (
      <svg {...common}>
        <path d="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5Z" />
      </svg>
    );
  return (
    <svg {...common}>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M8 2.5v11A5.5 5.5 0 0 0 8 2.5Z" fill="currentColor" />
    </svg>
  );
}
// biome-ignore-end lint/a11y/noSvgWithoutTitle: decorative
