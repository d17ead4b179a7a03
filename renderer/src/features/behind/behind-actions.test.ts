import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../../shared/model';
import { completeRow } from '../../../../shared/testing/rows';
import { killLabel } from '../../components/row-actions';
import { stopContainerLabel } from './behind-actions';

const base = {
  key: 'k',
  protocol: 'tcp',
  family: 4,
  localAddress: '0.0.0.0',
  localPort: 8080,
  remoteAddress: null,
  remotePort: null,
  state: 'LISTEN',
  service: null,
} as const;

describe('the primary action of a container-published row', () => {
  it('is Stop container, naming it, instead of killing its proxy', () => {
    const row: SocketRow = completeRow({
      ...base,
      pid: 10,
      process: null,
      container: { id: 'abcdef012345', name: 'web', image: 'nginx', engine: 'docker' },
    });
    expect(stopContainerLabel(row)).toBe('Stop container web');
    expect(killLabel(row)).toBe('Stop container web');
    expect(killLabel(completeRow({ ...base, pid: 10, process: null }))).toBe('Kill process (PID 10)');
  });
});
