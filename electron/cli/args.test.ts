import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './args';
import { UsageError, usageLine } from './io';

const spec = {
  all: { type: 'boolean', short: 'a' },
  json: { type: 'boolean' },
  filter: { type: 'string', short: 'f' },
} as const;

const parse = (argv: string[], max = 0) => parseCommandArgs('list', argv, spec, max);
const error = (argv: string[], max = 0) => {
  try {
    parse(argv, max);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return usageLine(e as UsageError);
  }
  throw new Error('expected a usage error');
};

describe('parseCommandArgs', () => {
  it('reads flags, short aliases and string values in both spellings', () => {
    expect(parse(['--all', '--json']).values).toEqual({ all: true, json: true });
    expect(parse(['-a']).values).toEqual({ all: true });
    expect(parse(['--filter', 'proc:node']).values.filter).toBe('proc:node');
    expect(parse(['--filter=port:1-2']).values.filter).toBe('port:1-2');
  });

  it('lets a string value start with - (filter negation)', () => {
    expect(parse(['--filter', '-proc:chrome']).values.filter).toBe('-proc:chrome');
    expect(parse(['-f', '-proc:chrome']).values.filter).toBe('-proc:chrome');
  });

  it('stops at --help and at --', () => {
    expect(parse(['--help', '--bogus']).help).toBe(true);
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['--', '--json'], 1).positionals).toEqual(['--json']);
  });

  it('gives one-line errors that point at the command help', () => {
    expect(error(['--foo'])).toBe('portscope: unknown option --foo (see portscope list --help)\n');
    expect(error(['-x'])).toBe('portscope: unknown option -x (see portscope list --help)\n');
    expect(error(['--filter'])).toBe(
      'portscope: option --filter needs a value (see portscope list --help)\n',
    );
    expect(error(['--json=yes'])).toBe(
      'portscope: option --json takes no value (see portscope list --help)\n',
    );
    expect(error(['extra'])).toBe("portscope: unexpected argument 'extra' (see portscope list --help)\n");
    expect(error(['a', 'b'], 1)).toContain("unexpected argument 'b'");
    expect(error(['--\u001b[2J'])).toBe('portscope: unknown option --?[2J (see portscope list --help)\n');
  });

  it('does not treat inherited object keys as options', () => {
    expect(error(['--constructor'])).toContain('unknown option --constructor');
    expect(error(['--toString'])).toContain('unknown option --toString');
  });
});
