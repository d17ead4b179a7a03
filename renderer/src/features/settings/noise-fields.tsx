import { useId, useState } from 'react';
import { type NoiseRule, type NoiseRuleKind, ruleText, sameRule } from '../../../../shared/noise-rules';

/**
 * The settings dialog's hide rules and favourites: each rule with a Remove button, and a line to add
 * one (process name or label, port, user). Edits the draft; Save sends it like every other field.
 */
export function NoiseFields(p: {
  legend: string;
  note: string;
  rules: NoiseRule[];
  onChange(rules: NoiseRule[]): void;
  testId: string;
}) {
  const id = useId();
  const [kind, setKind] = useState<NoiseRuleKind>('process');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const v = value.trim();
    if (!v) return setError('Type a process name, a port or a user first.');
    if (kind === 'port' && !/^\d{1,5}$/.test(v)) return setError(`"${v.slice(0, 12)}" is not a port.`);
    const rule = { kind, value: v };
    setError(null);
    setValue('');
    if (!p.rules.some((r) => sameRule(r, rule))) p.onChange([...p.rules, rule]);
  };
  return (
    <fieldset className="ps-settings-group" data-testid={p.testId}>
      <legend>{p.legend}</legend>
      <p className="ps-settings-note">{p.note}</p>
      {p.rules.length > 0 && (
        <ul className="ps-settings-rules">
          {p.rules.map((r) => (
            <li key={`${r.kind}:${r.value}`}>
              <span>{ruleText(r)}</span>
              <button
                type="button"
                className="ps-chooser-small"
                aria-label={`Remove ${ruleText(r)}`}
                onClick={() => p.onChange(p.rules.filter((x) => !sameRule(x, r)))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="ps-settings-add">
        <select
          aria-label={`${p.legend}: kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as NoiseRuleKind)}
        >
          <option value="process">Process</option>
          <option value="port">Port</option>
          <option value="user">User</option>
        </select>
        <input
          id={`${id}-value`}
          type="text"
          aria-label={`${p.legend}: ${kind}`}
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={kind === 'port' ? '3000' : kind === 'user' ? 'postgres' : 'vite'}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="ps-action" onClick={add}>
          Add
        </button>
      </div>
      {error && (
        <p className="ps-settings-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
