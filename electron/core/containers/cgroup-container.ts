/**
 * The container a process runs in, from its /proc/<pid>/cgroup text: Docker's cgroupfs driver
 * (`/docker/<id>`), its systemd driver (`docker-<id>.scope`), Podman (`libpod-<id>.scope`,
 * `/libpod_parent/libpod-<id>`). Podman's monitor (`libpod-conmon-<id>`) runs outside the
 * container and is not matched. Returns the full 64-hex id, or null.
 */
export function containerIdFromCgroup(text: string): string | null {
  const m = /(?:^|\/)(?:docker[-/]|libpod-)([0-9a-f]{64})(?:\.scope)?(?:\/|$)/m.exec(
    text
      .split('\n')
      .map((l) => l.slice(l.indexOf(':', l.indexOf(':') + 1) + 1))
      .join('\n'),
  );
  return m ? (m[1] as string) : null;
}
