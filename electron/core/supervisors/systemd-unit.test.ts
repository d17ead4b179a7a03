import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerIdFromCgroup } from '../containers/cgroup-container';
import { systemdUnitFromCgroup, UNIT_NAME } from './systemd-unit';

/** Recorded /proc/<pid>/cgroup files (no systemd runs here): system and user services, v1 and v2. */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('systemd unit from /proc/<pid>/cgroup', () => {
  it('a system service (cgroup v2)', () => {
    expect(systemdUnitFromCgroup(fixture('cgroup-v2-nginx.txt'))).toEqual({
      kind: 'systemd',
      name: 'nginx.service',
      scope: 'system',
    });
  });
  it("a user's service under user@1000.service", () => {
    expect(systemdUnitFromCgroup(fixture('cgroup-v2-user-app.txt'))).toEqual({
      kind: 'systemd',
      name: 'vite-dev.service',
      scope: 'user',
    });
  });
  it('cgroup v1 (name=systemd line), an instance unit', () => {
    expect(systemdUnitFromCgroup(fixture('cgroup-v1-postgres.txt'))?.name).toBe('postgresql@15-main.service');
  });
  it('login sessions, the user manager itself and container scopes are no service', () => {
    for (const f of ['cgroup-v2-session.txt', 'cgroup-v2-user-manager.txt', 'cgroup-v2-docker-systemd.txt'])
      expect(systemdUnitFromCgroup(fixture(f))).toBeNull();
    expect(systemdUnitFromCgroup('0::/\n')).toBeNull();
  });
  it('a unit name that could be read as an option or carries shell text never matches', () => {
    for (const bad of ['-x.service', 'a b.service', 'a;rm.service', 'x.socket', '$(id).service', ''])
      expect(UNIT_NAME.test(bad)).toBe(false);
    expect(systemdUnitFromCgroup('0::/system.slice/a;b.service\n')).toBeNull();
  });
});

describe('container id from /proc/<pid>/cgroup', () => {
  it('Docker (systemd and cgroupfs drivers) and Podman; not the conmon monitor', () => {
    expect(containerIdFromCgroup(fixture('cgroup-v2-docker-systemd.txt'))).toBe(
      '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
    expect(containerIdFromCgroup(`0::/docker/${'a'.repeat(64)}\n`)).toBe('a'.repeat(64));
    expect(containerIdFromCgroup(fixture('cgroup-v2-podman.txt'))).toBe(
      'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
    );
    expect(containerIdFromCgroup(fixture('cgroup-v2-conmon.txt'))).toBeNull();
    expect(containerIdFromCgroup(fixture('cgroup-v2-nginx.txt'))).toBeNull();
  });
});
