import type { SocketRow } from './model';

/**
 * Noise control: hide rules and favourites (kept in settings). One rule says "this process", "this
 * port" or "this user"; the table, the quick view and the tray all ask these functions, so a rule
 * means the same thing everywhere. Pure, no Node APIs.
 */

export type NoiseRuleKind = 'process' | 'port' | 'user';

export interface NoiseRule {
  kind: NoiseRuleKind;
  /** Process name or label (case-insensitive), port number as text, or user name. */
  value: string;
}

/** What a process is called for rules: the friendly label when the engine gave one, else its name. */
export function processRuleValue(row: Pick<SocketRow, 'process'>): string | null {
  const p = row.process;
  if (!p) return null;
  return p.label || p.name || null;
}

/** Whether one rule matches a row. A process rule matches the label or the plain name. */
export function ruleMatches(row: SocketRow, rule: NoiseRule): boolean {
  switch (rule.kind) {
    case 'port':
      return String(row.localPort) === rule.value.trim();
    case 'user': {
      const user = row.process?.user || row.user;
      return !!user && user === rule.value;
    }
    case 'process': {
      const p = row.process;
      if (!p) return false;
      const want = rule.value.toLowerCase();
      return p.name.toLowerCase() === want || (p.label ?? '').toLowerCase() === want;
    }
  }
}

/** Whether any of the rules matches. */
export function anyRuleMatches(row: SocketRow, rules: readonly NoiseRule[]): boolean {
  for (const r of rules) if (ruleMatches(row, r)) return true;
  return false;
}

/** Same rule (kind and value; process names compared case-insensitively). */
export function sameRule(a: NoiseRule, b: NoiseRule): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'process' ? a.value.toLowerCase() === b.value.toLowerCase() : a.value === b.value;
}

/** The list with `rule` added (once) or removed when it was there. */
export function toggleRule(rules: readonly NoiseRule[], rule: NoiseRule): NoiseRule[] {
  return rules.some((r) => sameRule(r, rule)) ? rules.filter((r) => !sameRule(r, rule)) : [...rules, rule];
}

/** "process vite", "port 3000", "user postgres": a rule as people read it. */
export function ruleText(rule: NoiseRule): string {
  return `${rule.kind} ${rule.value}`;
}

export interface NoiseOutcome<T> {
  /** What to show: favourites first (in their order), then the rest; hidden ones left out. */
  items: T[];
  /** How many were left out by hide rules. */
  hidden: number;
}

/**
 * Apply hide rules and favourites to a sorted list. A favourite is never hidden (the user pinned it
 * on purpose); `showHidden` shows everything (the one-click "show all") while keeping favourites on top.
 * Stable: within favourites and within the rest, the incoming order is kept.
 */
export function applyNoise<T>(
  items: readonly T[],
  rowOf: (item: T) => SocketRow,
  opts: { hideRules: readonly NoiseRule[]; favourites: readonly NoiseRule[]; showHidden?: boolean },
): NoiseOutcome<T> {
  const { hideRules, favourites, showHidden = false } = opts;
  if (hideRules.length === 0 && favourites.length === 0) return { items: items as T[], hidden: 0 };
  const pinned: T[] = [];
  const rest: T[] = [];
  let hidden = 0;
  for (const item of items) {
    const row = rowOf(item);
    if (favourites.length > 0 && anyRuleMatches(row, favourites)) pinned.push(item);
    else if (hideRules.length > 0 && anyRuleMatches(row, hideRules)) {
      hidden++;
      if (showHidden) rest.push(item);
    } else rest.push(item);
  }
  return { items: pinned.length === 0 ? rest : [...pinned, ...rest], hidden };
}
