/**
 * IP addresses as the bytes a socket request needs, parsed strictly in plain TypeScript (shared has
 * no Node APIs): the contract validates a close-connection request with it, and the engine turns
 * the same text into the bytes the kernel compares. Only what the socket tables print is accepted:
 * dotted IPv4, and RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail), no zone, no brackets.
 */

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

function v4Bytes(text: string): number[] | null {
  return V4.test(text) ? text.split('.').map(Number) : null;
}

function groupsBytes(parts: string[]): number[] | null {
  const out: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1 && p.includes('.')) {
      const tail = v4Bytes(p);
      if (!tail) return null;
      out.push(...tail);
    } else if (GROUP.test(p)) {
      const v = Number.parseInt(p, 16);
      out.push(v >> 8, v & 0xff);
    } else return null;
  }
  return out;
}

function v6Bytes(text: string): number[] | null {
  if (text.length > 45 || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  if (halves.length === 1) {
    const all = groupsBytes(split(text));
    return all && all.length === 16 ? all : null;
  }
  const head = groupsBytes(split(halves[0] as string));
  const tail = groupsBytes(split(halves[1] as string));
  if (!head || !tail || head.length + tail.length > 14) return null;
  return [...head, ...new Array(16 - head.length - tail.length).fill(0), ...tail];
}

/** The address's bytes in network order (4 for family 4, 16 for family 6), or null when invalid. */
export function addressBytes(text: string, family: 4 | 6): Uint8Array | null {
  const bytes = family === 4 ? v4Bytes(text) : v6Bytes(text);
  return bytes ? Uint8Array.from(bytes) : null;
}

/** Whether `text` is a valid address of `family`. */
export function isAddress(text: string, family: 4 | 6): boolean {
  return addressBytes(text, family) !== null;
}
