import { readFileSync } from 'node:fs';

/** Uid → user name from /etc/passwd, read once (and again when a uid is unknown). */
export class Users {
  private names = new Map<string, string>();
  private loaded = false;
  constructor(private readonly passwd = '/etc/passwd') {}
  name(uid: string): string {
    if (!this.names.has(uid) && !this.loaded) this.load();
    return this.names.get(uid) ?? uid;
  }
  private load(): void {
    this.loaded = true;
    try {
      for (const line of readFileSync(this.passwd, 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length > 3 && f[0] && f[2]) this.names.set(f[2], f[0]);
      }
    } catch {
      // no passwd: show numeric uids
    }
  }
}

const shared = new Users();

/** The name of a numeric uid ('' when /etc/passwd has no entry for it). */
export function userName(uid: number): string {
  const name = shared.name(String(uid));
  return name === String(uid) ? '' : name;
}
