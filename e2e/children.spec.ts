import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { expect, test } from '@playwright/test';
import { type Listener, spawnListener } from '../electron/core/testing/children';

const started: Listener[] = [];
test.afterEach(() => {
  for (const l of started.splice(0)) l.kill();
});

test.describe('spawnListener', () => {
  test('binds a real TCP port, reports it, carries the given name and stops on kill', async () => {
    const l = await spawnListener({ name: 'ps-fixture' });
    started.push(l);
    expect(l.port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const c = createConnection(l.port, '127.0.0.1', () => {
        c.end();
        resolve();
      });
      c.on('error', reject);
    });
    expect(readFileSync(`/proc/${l.pid}/comm`, 'utf8').trim()).toBe('ps-fixture');
    l.kill();
    await l.exited;
    expect(l.alive()).toBe(false);
  });

  test('binds UDP and survives SIGTERM when asked to', async () => {
    const l = await spawnListener({ protocol: 'udp', trapTerm: true });
    started.push(l);
    const ss = execFileSync('ss', ['-uanp'], { encoding: 'utf8' });
    expect(ss).toContain(`:${l.port} `);
    // The child prints TERM from its handler: once that arrives the signal was delivered and survived.
    const trapped = new Promise<void>((resolve) => {
      l.child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('TERM')) resolve();
      });
    });
    process.kill(l.pid, 'SIGTERM');
    await Promise.race([trapped, l.exited]);
    expect(l.alive()).toBe(true);
  });
});
