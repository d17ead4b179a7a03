import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter';
import type { ContainerRef, SocketRow } from './model';
import { containerText, holderText, isPortProxy, isQuietNote, supervisorText } from './socket-rules';
import { completeRow } from './testing/rows';

const web: ContainerRef = {
  id: 'abcdef012345',
  name: 'app-web-1',
  image: 'nginx:1.27',
  engine: 'docker',
  composeProject: 'app',
  composeService: 'web',
  containerPort: '80/tcp',
};

function row(p: Partial<SocketRow>): SocketRow {
  return completeRow({
    key: `k${Math.random()}`,
    protocol: 'tcp',
    family: 4,
    localAddress: '0.0.0.0',
    localPort: 8080,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: null,
    service: null,
    process: null,
    ...p,
  });
}

const published = row({ container: web, owners: [], holder: 'hidden' });
const plain = row({ localPort: 3000 });
const inside = row({
  localPort: 9000,
  pid: 7,
  owners: [
    {
      pid: 7,
      process: {
        name: 'postgres',
        command: 'postgres',
        path: '',
        user: 'x',
        startTime: 0,
        startId: '1',
        ppid: 1,
        cpu: null,
        memory: null,
        container: { ...web, id: '999999999999', name: 'db', image: 'postgres:16', composeService: 'db' },
      },
    },
  ],
});

describe('container: and image: filter tokens', () => {
  const pick = (text: string) => [published, plain, inside].filter(parseFilter(text).test);
  it('match the publishing container or the one a holder runs in, by name, id, compose service, image', () => {
    expect(pick('container:web')).toEqual([published]);
    expect(pick('container:abcdef')).toEqual([published]);
    expect(pick('container:db')).toEqual([inside]);
    expect(pick('image:nginx')).toEqual([published]);
    expect(pick('image:postgres')).toEqual([inside]);
    expect(pick('-image:nginx')).toEqual([plain, inside]);
    expect(parseFilter('container:').issues).toHaveLength(1);
  });
});

describe('socket rules for containers and services', () => {
  it('a container-owned row says whose it is; proxies are recognised by comm', () => {
    expect(holderText(published)).toBe('container app-web-1 (nginx:1.27, compose app/web)');
    expect(containerText({ ...web, name: 'x\u001b[31m', composeProject: null })).toBe('x?[31m (nginx:1.27)');
    expect(
      ['docker-proxy', 'rootlessport', 'rootlessport-ch', 'slirp4netns', 'pasta'].every(isPortProxy),
    ).toBe(true);
    expect(isPortProxy('dockerd')).toBe(false);
  });
  it('supervisors in one wording; the containers note is quiet', () => {
    expect(supervisorText({ kind: 'systemd', name: 'nginx.service', scope: 'system' })).toBe('nginx.service');
    expect(supervisorText({ kind: 'supervisord', name: 'web' })).toBe('supervisord program web');
    expect(supervisorText({ kind: 'parent', name: 'node (PID 4)' })).toBe('its parent node (PID 4)');
    expect(isQuietNote({ source: 'containers', kind: 'permission' })).toBe(true);
    expect(isQuietNote({ source: 'proc-net', kind: 'permission' })).toBe(false);
  });
});
