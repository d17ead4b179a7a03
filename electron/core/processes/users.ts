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
/** Answers by numeric uid: the engine asks once per socket (25,000 times for a few uids). */
const byUid = new Map<number, string>();

/** The name of a numeric uid ('' when /etc/passwd has no entry for it). */
export function userName(uid: number): string {
  let name = byUid.get(uid);
  if (name !== undefined) return name;
  const text = String(uid);
  name = shared.name(text);
  if (name === text) return ''; // unknown: asked again next time (a user added since)
  byUid.set(uid, name);
  return name;
}
