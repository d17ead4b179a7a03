/**
 * Test fixture: run one kill as whatever user started this script and print the KillResult as
 * JSON. killer-eperm.test.ts runs it as an unprivileged user against a root-owned child, which is
 * how a real EPERM happens.  Usage: eperm-probe.ts <pid> <startId> [elevate]
 */
import { parsePid } from '../../../shared/numbers';
import { createKiller } from './index';

const pid = parsePid(process.argv[2]);
const startId = process.argv[3] ?? '';
if (pid === null) throw new Error('usage: eperm-probe.ts <pid> <startId>');
// No top-level await: tsx loads this file as CommonJS.
void createKiller({ graceMs: 300 })
  .kill({ target: { pid, startId }, force: false, tree: false, elevate: false })
  .then((res) => process.stdout.write(`${JSON.stringify(res)}\n`));
