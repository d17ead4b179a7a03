import { describe, expect, it } from 'vitest';
import { FLAG_TCP_INFO, RECORD_WORDS, W } from './sock-diag-addon';
import { decodeDump } from './sock-diag-decode';

/** One packed record as sock_diag.c writes it (little-endian uint32 words). */
function record(fields: Partial<Record<keyof typeof W, number>>): Buffer {
  const words = new Uint32Array(RECORD_WORDS);
  for (const [k, v] of Object.entries(fields)) words[W[k as keyof typeof W]] = v as number;
  return Buffer.from(words.buffer);
}

const base = { proto: 6, family: 2, state: 1, lport: 40000, rport: 8080, laddr: 0, raddr: 0, inode: 7 };

describe('decodeDump: the packed tcp_info counters', () => {
  it('joins the 64-bit tcpi_bytes_acked / tcpi_bytes_received halves exactly (above 4 GiB too)', () => {
    const sent = 5 * 2 ** 32 + 123; // 20 GiB and a bit: the high word matters
    const received = 2 ** 32 - 1;
    const records = record({
      ...base,
      flags: FLAG_TCP_INFO,
      rtt: 250,
      rttvar: 40,
      ackedLo: sent % 2 ** 32,
      ackedHi: Math.floor(sent / 2 ** 32),
      recvLo: received,
      recvHi: 0,
    });
    const [row] = decodeDump({ records, strings: ['127.0.0.1'], errors: [0, 0, 0, 0] });
    expect(row?.tcp).toEqual({ rttUs: 250, rttVarUs: 40, bytesAcked: sent, bytesReceived: received });
    expect(row).toMatchObject({ protocol: 'tcp', state: 'ESTABLISHED', localPort: 40000, remotePort: 8080 });
  });

  it('no tcp_info flag: no counters (the Listening scope, UDP), even when the words are not zero', () => {
    const records = record({ ...base, ackedLo: 99, recvLo: 99 });
    const [row] = decodeDump({ records, strings: ['127.0.0.1'], errors: [0, 0, 0, 0] });
    expect(row?.tcp).toBeUndefined();
  });
});
