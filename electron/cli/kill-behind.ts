import { createInterface } from 'node:readline';
import type { FreePortPlan, FreePortResult } from '../../shared/model';
import { containerText, safeText, supervisorText } from '../../shared/socket-rules';
import type { BehindActions } from '../core/containers/behind-actions';
import { type CliIo, EXIT } from './io';

/** What the container and service steps of `portscope kill <port>` need. */
export interface BehindFlowContext {
  io: Pick<CliIo, 'stdout' | 'stderr' | 'stdin'>;
  opts: { yes: boolean; dryRun: boolean; stopService?: boolean };
  behind?: BehindActions;
}

/**
 * `kill <port>` on a port a container publishes: the container is named (name, image, id) and,
 * after the same confirmation as a kill, stopped through its engine. Exit 0 only when the port is free.
 */
export async function containerFlow(plan: FreePortPlan, ctx: BehindFlowContext): Promise<number> {
  const c = plan.container;
  const { io, opts } = ctx;
  if (!c || !ctx.behind) return EXIT.failure;
  io.stdout.write(
    `Port ${plan.port} is published by container ${containerText(c)}, id ${c.id} (${c.engine}).\n` +
      `${opts.dryRun ? 'Would stop' : 'About to stop'} the container (ending its port proxy would only break the mapping).\n`,
  );
  if (opts.dryRun) {
    io.stdout.write('Dry run: nothing was done.\n');
    return EXIT.ok;
  }
  const asked = await ask(ctx, 'Stop the container?');
  if (asked !== null) return asked;
  const protocol = plan.sockets[0]?.protocol ?? null;
  const res = await ctx.behind.container({ id: c.id, action: 'stop', port: plan.port, protocol });
  io.stdout.write(`${safeText(res.message)}\n`);
  return res.outcome === 'stopped' && res.portFree !== false ? EXIT.ok : EXIT.failure;
}

/**
 * After a kill whose holder came back ("restarted by nginx.service"): exit 1 with the advice, or
 * with --stop-service stop the service and exit 0 only when the port is then free.
 */
export async function restartedFlow(res: FreePortResult, ctx: BehindFlowContext): Promise<number> {
  const sup = res.restartedBy;
  const { io } = ctx;
  if (!sup) return EXIT.failure;
  if (!ctx.opts.stopService || !ctx.behind || sup.kind === 'parent') {
    const how =
      sup.kind === 'parent'
        ? `End its parent (portscope kill pid:${safeText(sup.name).replace(/^.*PID (\d+)\)$/, '$1')}) to free it.`
        : `Run again with --stop-service to stop ${supervisorText(sup)}.`;
    io.stdout.write(`${how}\n`);
    return EXIT.failure;
  }
  const stopped = await ctx.behind.stopService({
    port: res.port,
    protocol: res.protocol,
    supervisor: sup,
    elevate: false,
  });
  io.stdout.write(`${safeText(stopped.message)}\n`);
  return stopped.outcome === 'stopped' ? EXIT.ok : EXIT.failure;
}

async function ask(ctx: BehindFlowContext, question: string): Promise<number | null> {
  const { io } = ctx;
  if (ctx.opts.yes) return null;
  if (!io.stdin.isTTY) {
    io.stderr.write('portscope: refusing to stop a container without --yes when stdin is not a terminal\n');
    return EXIT.usage;
  }
  io.stdout.write(`${question} [y/N] `);
  const answer = await new Promise<string | null>((resolve) => {
    const rl = createInterface({ input: io.stdin, terminal: false });
    let got: string | null = null;
    rl.once('line', (l) => {
      got = l;
      rl.close();
    });
    rl.once('close', () => resolve(got));
  });
  if (answer?.trim().toLowerCase() === 'y' || answer?.trim().toLowerCase() === 'yes') return null;
  io.stdout.write('Nothing was done.\n');
  return EXIT.failure;
}
