import type { SocketRow } from '../../../shared/model';
import { anyRuleMatches, type NoiseRule, processRuleValue, ruleText } from '../../../shared/noise-rules';
import { toggleNoiseRule, useNoiseRules } from './use-noise';

/** The rules one row offers: pin its port, hide its process, its port or its user. */
export function rowRules(row: SocketRow): { pin: NoiseRule; hide: NoiseRule[] } {
  const hide: NoiseRule[] = [];
  const proc = processRuleValue(row);
  if (proc) hide.push({ kind: 'process', value: proc });
  hide.push({ kind: 'port', value: String(row.localPort) });
  const user = row.process?.user || row.user;
  if (user) hide.push({ kind: 'user', value: user });
  return { pin: { kind: 'port', value: String(row.localPort) }, hide };
}

/**
 * Noise control from the details panel: pin this port on top (favourite) or hide this process, port
 * or user. Saved at once in settings; the status bar's "N hidden · Show all" brings rows back.
 */
export function NoiseActions({ row }: { row: SocketRow }) {
  const { hideRules, favourites } = useNoiseRules();
  const { pin, hide } = rowRules(row);
  const pinned = anyRuleMatches(row, favourites);
  return (
    <section className="ps-noise-actions" aria-label="Pin or hide">
      <h3>Pin or hide</h3>
      <div className="ps-details-actions">
        <button
          type="button"
          className="ps-btn"
          aria-pressed={pinned}
          onClick={() => void toggleNoiseRule('favourites', pinned ? matchingRule(row, favourites) : pin)}
        >
          {pinned ? `Unpin ${ruleText(matchingRule(row, favourites))}` : `Pin port ${row.localPort} on top`}
        </button>
        {hide.map((r) => {
          const on = hideRules.some(
            (h) => h.kind === r.kind && h.value.toLowerCase() === r.value.toLowerCase(),
          );
          return (
            <button
              key={`${r.kind}:${r.value}`}
              type="button"
              className="ps-btn"
              aria-pressed={on}
              onClick={() => void toggleNoiseRule('hideRules', r)}
            >
              {on ? `Stop hiding ${ruleText(r)}` : `Hide ${ruleText(r)}`}
            </button>
          );
        })}
      </div>
    </section>
  );
}

/** The favourite that pins this row (to remove exactly it). */
function matchingRule(row: SocketRow, rules: readonly NoiseRule[]): NoiseRule {
  return rules.find((r) => anyRuleMatches(row, [r])) ?? { kind: 'port', value: String(row.localPort) };
}
