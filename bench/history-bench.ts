/**
 * `node --import tsx bench/history-bench.ts`: what the port history costs at one million events,
 * for the store Portscope uses (append-only CRC-framed segments + a per-segment index) and, in the
 * same run, for SQLite (the `sqlite3` shell of the same machine: the engine better-sqlite3 would
 * embed) doing the same work. Prints figures and ratios; asserts nothing about time.
 * HISTORY_BENCH_EVENTS=200000 shortens it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryHistory } from '../electron/core/history/history-query';
import { readHistory } from '../electron/core/history/history-reader';
import { createHistoryWriter } from '../electron/core/history/history-writer';
import { findOnPath } from '../electron/core/sources/which';
import type { SocketEvent } from '../shared/history';
import { buildTimelines } from '../shared/history-timeline';

const N = Number(process.env.HISTORY_BENCH_EVENTS ?? 1_000_000);
const SYNC_BATCHES = 300;
const BATCH = 50;
const RARE = 5432;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const SPAN = 30 * DAY;

/** Event i of a month on a busy dev machine: 2,000 dev ports churn; postgres restarts 10 times. */
function event(i: number): SocketEvent {
  const t = T0 + Math.floor((i / N) * SPAN);
  const rare = i % Math.floor(N / 10) < 2;
  const port = rare ? RARE : 3000 + ((i * 7919) % 2000);
  const pid = 1000 + (Math.floor(i / 2) % 30000);
  return {
    t,
    kind: i % 2 === 0 ? 'open' : 'close',
    key: `tcp:c${Math.floor(i / 2)}`,
    protocol: 'tcp',
    address: '127.0.0.1',
    port,
    service: rare ? 'postgresql' : null,
    process: {
      pid,
      startId: String(pid * 13),
      name: rare ? 'postgres' : 'node',
      command: rare
        ? 'postgres -D /var/lib/postgresql/16/main'
        : 'node /home/dev/app/node_modules/.bin/vite --port 3000',
      user: 'dev',
    },
    user: 'dev',
    container: null,
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const dirSize = (dir: string) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** Run the sqlite3 shell on a database with `sql` on stdin; resolves with the wall time in ms. */
function sqlite(db: string, sql: Iterable<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(ms(start)) : reject(new Error(`sqlite3 exited ${code}`)),
    );
    const it = sql[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = it.next();
        if (next.done) return child.stdin.end();
        if (!child.stdin.write(next.value)) return child.stdin.once('drain', pump);
      }
    };
    pump();
  });
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
function* inserts(from: number, to: number, perTxn: number): Generator<string> {
  for (let i = from; i < to; i += perTxn) {
    let sql = 'BEGIN;';
    for (let j = i; j < Math.min(to, i + perTxn); j++) {
      const e = event(j);
      sql += `INSERT INTO ev VALUES(${e.t},${q(e.kind)},${e.port},${e.process?.pid ?? 'NULL'},${q(JSON.stringify(e))});`;
    }
    yield `${sql}COMMIT;\n`;
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ps-history-bench-'));
  const dir = join(root, 'log');
  try {
    console.log(`history bench: ${N.toLocaleString('en')} events, ${BATCH} per batch`);
    // 1. Bulk append (no fdatasync): the encoding and write cost per event.
    let start = process.hrtime.bigint();
    const w = createHistoryWriter({ dir, sync: false, startId: null });
    for (let i = 0; i < N; i += BATCH) {
      const batch: SocketEvent[] = [];
      for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(event(j));
      await w.append(batch);
    }
    await w.close();
    const bulkMs = ms(start);
    const logBytes = dirSize(dir);
    // 2. A poll batch with fdatasync: what one poll's events cost on disk.
    const synced = createHistoryWriter({ dir: join(root, 'sync'), startId: null });
    start = process.hrtime.bigint();
    for (let i = 0; i < SYNC_BATCHES; i++)
      await synced.append(Array.from({ length: 5 }, (_, j) => event(i * 5 + j)));
    await synced.close();
    const syncMs = ms(start) / SYNC_BATCHES;
    // 3. Queries.
    start = process.hrtime.bigint();
    const one = await readHistory(dir, { port: RARE });
    const portTl = buildTimelines(one.events, T0, T0 + SPAN);
    const portMs = ms(start);
    start = process.hrtime.bigint();
    const window = await queryHistory(dir, { from: T0 + SPAN - 2 * 3_600_000, to: T0 + SPAN });
    const windowMs = ms(start);
    start = process.hrtime.bigint();
    const all = await readHistory(dir, { to: T0 + SPAN });
    const fullMs = ms(start);
    start = process.hrtime.bigint();
    buildTimelines(all.events, T0, T0 + SPAN);
    const timelineMs = ms(start);

    const log = {
      perEvent: (bulkMs * 1000) / N,
      syncBatch: syncMs,
      port: portMs,
      window: windowMs,
      full: fullMs,
      bytes: logBytes,
    };
    console.log(
      `log   append ${log.perEvent.toFixed(2)} µs/event (no sync), poll batch + fdatasync ${syncMs.toFixed(2)} ms`,
    );
    console.log(
      `log   ${mb(logBytes)} on disk in ${readdirSync(dir).filter((f) => f.endsWith('.log')).length} segments; port ${RARE}: ${portMs.toFixed(0)} ms (${one.events.length} events, ${portTl.ports[0]?.spans.length ?? 0} spans); last 2 h: ${windowMs.toFixed(0)} ms (${window.ports.length} ports); everything: ${fullMs.toFixed(0)} ms + timelines ${timelineMs.toFixed(0)} ms`,
    );

    if (!findOnPath('sqlite3')) {
      console.log('sqlite3: not installed (apt-get install sqlite3), no reference figures');
      return;
    }
    const db = join(root, 'h.db');
    const schema =
      'PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;CREATE TABLE ev(t INTEGER, kind TEXT, port INTEGER, pid INTEGER, json TEXT);';
    await sqlite(db, [schema]);
    const bulkSql = await sqlite(db, inserts(0, N, BATCH));
    await sqlite(db, ['CREATE INDEX ev_port ON ev(port, t);CREATE INDEX ev_t ON ev(t);']);
    const sdb = join(root, 's.db');
    await sqlite(sdb, [schema]);
    const syncSql =
      (await sqlite(sdb, [
        'PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;',
        ...inserts(0, SYNC_BATCHES * 5, 5),
      ])) / SYNC_BATCHES;
    const portSql = await sqlite(db, [`SELECT json FROM ev WHERE port=${RARE} ORDER BY t;`]);
    const lastSql = await sqlite(db, [
      `SELECT json FROM ev WHERE t >= ${T0 + SPAN - 2 * 3_600_000} ORDER BY t;`,
    ]);
    const fullSql = await sqlite(db, ['SELECT json FROM ev ORDER BY t;']);
    const dbBytes = statSync(db).size;
    const sql = {
      perEvent: (bulkSql * 1000) / N,
      syncBatch: syncSql,
      port: portSql,
      window: lastSql,
      full: fullSql,
      bytes: dbBytes,
    };
    console.log(
      `sqlite append ${sql.perEvent.toFixed(2)} µs/event (one txn per batch), txn + fsync ${syncSql.toFixed(2)} ms`,
    );
    console.log(
      `sqlite ${mb(dbBytes)} on disk; port ${RARE}: ${portSql.toFixed(0)} ms; last 2 h: ${lastSql.toFixed(0)} ms; everything: ${fullSql.toFixed(0)} ms (shell to /dev/null: rows, not parsed)`,
    );
    const r = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(
      `ratios log/sqlite: append ${r(log.perEvent, sql.perEvent)}, synced batch ${r(log.syncBatch, sql.syncBatch)}, port query ${r(log.port, sql.port)}, last 2 h ${r(log.window, sql.window)}, full read ${r(log.full, sql.full)}, size ${r(log.bytes, sql.bytes)}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
