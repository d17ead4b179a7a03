import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter';
import { ianaLookup, ianaServiceName, serviceName } from './service-names';
import { IANA_SERVICE_DATA } from './service-names-iana.generated';
import { testRow } from './testing/rows';

describe('service names people use', () => {
  it('curated common names first: 80 is http, 53 dns, 445 smb, 5432 postgresql', () => {
    expect(serviceName(80, 'tcp')).toEqual({ name: 'http', source: 'common', iana: 'www-http' });
    expect(serviceName(53, 'udp')).toEqual({ name: 'dns', source: 'common', iana: 'domain' });
    expect(serviceName(445, 'tcp')).toMatchObject({ name: 'smb', source: 'common', iana: 'microsoft-ds' });
    expect(serviceName(5432, 'tcp')).toMatchObject({ name: 'postgresql', source: 'common' });
    expect(serviceName(6379, 'tcp')?.name).toBe('redis');
    expect(serviceName(27017, 'tcp')?.name).toBe('mongodb');
  });

  it('dev ports by what usually runs there (TCP only), never the registry’s name for them', () => {
    expect(serviceName(3000, 'tcp')).toEqual({ name: 'dev server', source: 'dev', iana: 'remoteware-cl' });
    expect(serviceName(5173, 'tcp')).toMatchObject({ name: 'vite', source: 'dev' });
    expect(serviceName(9229, 'tcp')).toMatchObject({ name: 'node inspector', source: 'dev' });
    expect(serviceName(8000, 'tcp')).toMatchObject({ name: 'dev server', iana: 'irdmi' });
    expect(serviceName(3000, 'udp')).toMatchObject({ name: 'remoteware-cl', source: 'iana' });
  });

  it('the IANA registry only where nothing better exists; null for unnamed and invalid ports', () => {
    expect(serviceName(8765, 'tcp')).toEqual({ name: 'ultraseek-http', source: 'iana', iana: null });
    expect(ianaServiceName(80, 'tcp')).toBe('www-http');
    expect(ianaServiceName(65535, 'udp')).toBeNull();
    expect(serviceName(0, 'tcp')).toBeNull();
    expect(serviceName(70000, 'tcp')).toBeNull();
  });

  it('reads the compact registry as a plain split of it would, for every port', () => {
    const plain = new Map<number, string>();
    let port = 0;
    for (const record of IANA_SERVICE_DATA.split(';')) {
      const [delta = '', tcp = '', udp = ''] = record.split(',');
      port += Number.parseInt(delta, 36);
      if (tcp) plain.set(port * 2, tcp);
      if (udp) plain.set(port * 2 + 1, udp === '=' ? tcp : udp);
    }
    expect(plain.size).toBeGreaterThan(10_000);
    const differ: string[] = [];
    for (let p = 0; p <= 65535; p++)
      for (const proto of ['tcp', 'udp'] as const) {
        const want = plain.get(p * 2 + (proto === 'udp' ? 1 : 0)) ?? null;
        if (ianaServiceName(p, proto) !== want) differ.push(`${p}/${proto}`);
        // The one-port path (generated checkpoints + a short walk) agrees on every port too:
        // a checkpoint out of step with the data would name the wrong ports.
        if (ianaLookup(p, proto) !== want) differ.push(`${p}/${proto} (lookup)`);
      }
    expect(differ).toEqual([]);
  });

  it('svc: matches the name shown and the registry’s name it replaced', () => {
    const dev = testRow(3000, { service: 'dev server', serviceSource: 'dev' });
    const vite = testRow(5173, { service: 'vite', serviceSource: 'dev' });
    const pick = (text: string) =>
      [dev, vite].filter((r) => parseFilter(text).test(r)).map((r) => r.localPort);
    expect(pick('svc:remoteware')).toEqual([3000]);
    expect(pick('svc:"dev server"')).toEqual([3000]);
    expect(pick('svc:vite')).toEqual([5173]);
    expect(pick('remoteware-cl')).toEqual([3000]);
  });
});
