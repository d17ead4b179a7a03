/**
 * Idle-tick cost of the holder join: one process with 3,000 TCP listeners plus 500 other idle
 * processes, the engine polling the Listening scope. Prints CPU per tick (user/system) and /proc
 * work; run with `node --import tsx bench/holders-bench.ts` (BENCH_TICKS, default 40).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createEngine } from '../electron/core/engine/engine';
import { ProcNetSource } from '../electron/core/sources/proc-net/proc-net-source';

const TICKS = /^\d+$/.test(process.env.BENCH_TICKS ?? '') ? Number(process.env.BENCH_TICKS) : 40;
const LISTENERS = 3000;
const IDLE = /^\d+$/.test(process.env.BENCH_IDLE ?? '') ? Number(process.env.BENCH_IDLE) : 500;

const LOAD = `const net=require('net');let n=0;for(let i=0;i<${LISTENERS};i++)net.createServer().listen(0,'127.0.0.1',()=>{if(++n===${LISTENERS})console.log('ready')});process.stdin.on('end',()=>process.exit(0));process.stdin.resume();`;

async function main(): Promise<void> {
  const load = spawn(process.execPath, ['-e', LOAD], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((r) => load.stdout?.once('data', () => r()));
  const idle: ChildProcess[] = [];
  for (let i = 0; i < IDLE; i++) idle.push(spawn('sleep', ['600'], { stdio: 'ignore' }));
  try {
    const engine = createEngine({ sources: [new ProcNetSource()] });
    const t0 = performance.now();
    const first = await engine.collect('listening');
    console.log(`first poll: ${(performance.now() - t0).toFixed(0)} ms, rows ${first.rows.length}`);
    for (let i = 0; i < 3; i++) await engine.collect('listening');
    const start = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < TICKS; i++) await engine.collect('listening');
    const used = process.cpuUsage(start);
    const wall = (performance.now() - w0) / TICKS;
    console.log(
      `idle tick (${LISTENERS} listeners in one process + ${IDLE} idle processes): cpu ${((used.user + used.system) / 1000 / TICKS).toFixed(2)} ms/tick (user ${(used.user / 1000 / TICKS).toFixed(2)}, system ${(used.system / 1000 / TICKS).toFixed(2)}), wall ${wall.toFixed(2)} ms`,
    );
  } finally {
    for (const c of idle) c.kill('SIGKILL');
    load.kill('SIGKILL');
  }
}

void main();
