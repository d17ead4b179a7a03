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
