import { describe, expect, it } from 'vitest';
import { fuzzyScore, parseCommand, suggest } from './commands';

const cmd = (s: string) => {
  const r = parseCommand(s);
  return r.ok ? r.command : null;
};

describe('parseCommand', () => {
  it('parses every command exactly', () => {
    expect(cmd('free 3000')).toEqual({ type: 'free', port: 3000 });
    expect(cmd('  FREE   :3000 ')).toEqual({ type: 'free', port: 3000 });
    expect(cmd('kill pid 1234')).toEqual({ type: 'kill-pid', pid: 1234 });
    expect(cmd('kill pid:77')).toEqual({ type: 'kill-pid', pid: 77 });
    expect(cmd('open 5173')).toEqual({ type: 'open', port: 5173 });
    expect(cmd('pause')).toEqual({ type: 'pause' });
    expect(cmd('resume')).toEqual({ type: 'resume' });
    expect(cmd('filter proc:node')).toEqual({ type: 'filter', text: 'proc:node' });
    expect(cmd('filter proc:"my app" -user:root')).toEqual({
      type: 'filter',
      text: 'proc:"my app" -user:root',
    });
    expect(cmd('filter')).toEqual({ type: 'filter', text: '' });
    expect(cmd('all')).toEqual({ type: 'scope', scope: 'all' });
    expect(cmd('listening')).toEqual({ type: 'scope', scope: 'listening' });
  });

  it.each([
    'free',
    'free 0',
    'free 65536',
    'free 30x',
    'free 0x50',
    'free 1e3',
    'free -80',
    'free 80; touch x',
    'free $(id)',
    'free 3000 3001',
    'free 3000.0',
    'kill 1234',
    'kill pid',
    'kill pid 0',
    'kill pid -1',
    'kill pid 0x50',
    'kill pid 12 34',
    'open abc',
    'pause now',
    'all of them',
    'explode',
    '',
  ])('rejects %j with a reason and no command', (input) => {
    const r = parseCommand(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
  });

  it('names the bad argument back to the user', () => {
    const r = parseCommand('free 30x');
    expect(r.ok ? null : r.error).toContain('"30x" is not a port');
    expect(r.ok ? null : r.spec?.name).toBe('free');
  });
});

describe('suggest', () => {
  const names = (s: string) => suggest(s).map((c) => c.name);

  it('lists every command for an empty line', () => {
    expect(names('')).toHaveLength(8);
  });

  it('ranks prefixes first, then subsequences', () => {
    expect(names('fr')[0]).toBe('free');
    expect(names('p')).toEqual(['pause', 'open']);
    expect(names('lsn')).toEqual(['listening']);
    expect(names('re')).toEqual(['resume', 'free']);
    expect(names('zzz')).toEqual([]);
  });

  it('only considers the first word', () => {
    expect(names('fil proc:node')).toEqual(['filter']);
  });

  it('scores a prefix above a subsequence and a miss at zero', () => {
    expect(fuzzyScore('fi', 'filter')).toBeGreaterThan(fuzzyScore('fr', 'filter'));
    expect(fuzzyScore('xq', 'free')).toBe(0);
  });
});
