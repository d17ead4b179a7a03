// biome-ignore-all lint/a11y/noSvgWithoutTitle: decorative icons (aria-hidden); the buttons around them carry the names
/** Small stroke icons (inline SVG, no icon font, nothing fetched). Decorative: labels carry meaning. */

const base = {
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.6,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
  focusable: false,
};

export const OpenIcon = () => (
  <svg {...base}>
    <path d="M9 3h4v4M13 3 7.5 8.5M11 9.5V13H3V5h3.5" />
  </svg>
);
export const CopyIcon = () => (
  <svg {...base}>
    <rect x="5.5" y="5.5" width="7.5" height="7.5" rx="1.2" />
    <path d="M10.5 5.5V3.8c0-.7-.6-1.3-1.3-1.3H4.3C3.6 2.5 3 3.1 3 3.8v4.9c0 .7.6 1.3 1.3 1.3h1.2" />
  </svg>
);
export const KillIcon = () => (
  <svg {...base}>
    <circle cx="8" cy="8" r="5.5" />
    <path d="m5.8 5.8 4.4 4.4M10.2 5.8l-4.4 4.4" />
  </svg>
);
export const SearchIcon = () => (
  <svg {...base} width="14" height="14">
    <circle cx="7" cy="7" r="4.5" />
    <path d="m10.5 10.5 3 3" />
  </svg>
);
export const CloseIcon = () => (
  <svg {...base} width="14" height="14">
    <path d="m4 4 8 8M12 4l-8 8" />
  </svg>
);
