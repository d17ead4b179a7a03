/** The command palette (Ctrl/Cmd+K); placeholder until the store's actions land. */
export function CommandPalette() {
  return null;
}
