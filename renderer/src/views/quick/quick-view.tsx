/** The tray quick view (placeholder until the store's listening-rows hook lands). */
export function QuickView() {
  return <main className="ps-quick" aria-label="Quick view" />;
}
