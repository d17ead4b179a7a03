import { describe, expect, it } from 'vitest';
import { shouldConfirmKill } from './confirm-policy';

describe('shouldConfirmKill', () => {
  const on = { confirmKill: true, skipConfirmForOwnProcesses: false };
  const own = { confirmKill: true, skipConfirmForOwnProcesses: true };

  it('asks by default and whenever the settings are unknown', () => {
    expect(shouldConfirmKill(null, 'alice', 'alice')).toBe(true);
    expect(shouldConfirmKill(on, 'alice', 'alice')).toBe(true);
  });

  it('skips only for the user’s own processes when that setting is on', () => {
    expect(shouldConfirmKill(own, 'alice', 'alice')).toBe(false);
    expect(shouldConfirmKill(own, 'root', 'alice')).toBe(true);
    // Unknown owner or unknown current user: ask.
    expect(shouldConfirmKill(own, '', 'alice')).toBe(true);
    expect(shouldConfirmKill(own, 'alice', null)).toBe(true);
  });

  it('never asks when confirmation is turned off', () => {
    expect(shouldConfirmKill({ confirmKill: false, skipConfirmForOwnProcesses: false }, 'root', null)).toBe(
      false,
    );
  });
});
