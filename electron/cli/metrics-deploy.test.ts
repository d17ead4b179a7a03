import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORTED_METRICS, exportedSeriesNames } from '../core/metrics';

/**
 * deploy/ is shipped as examples people copy: the alert rules and scrape config must pass
 * Prometheus's own checker (and the alerts their own promtool unit tests), the unit must pass
 * systemd's, and every metric a dashboard or alert names must be one the exporter exports.
 */

const root = join(__dirname, '..', '..');
const deploy = join(root, 'deploy');
const run = promisify(execFile);
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const SYSTEMD_ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), 'portscope-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every portscope_* name an expression mentions. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bportscope_[a-z_]+/g)].map((m) => m[0]);
}

function dashboardExprs(): string[] {
  const dash = JSON.parse(readFileSync(join(deploy, 'grafana/portscope-dashboard.json'), 'utf8')) as {
    panels: { targets?: { expr?: string }[] }[];
  };
  return dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
}

function alertExprs(): string[] {
  const text = readFileSync(join(deploy, 'prometheus/portscope-alerts.yml'), 'utf8');
  return [...text.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] as string);
}

describe('deploy/ examples name only what the exporter exports', () => {
  it('every Grafana panel expression', () => {
    const exported = exportedSeriesNames();
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(5);
    for (const expr of exprs) {
      expect(metricNames(expr).length, expr).toBeGreaterThan(0);
      for (const name of metricNames(expr)) expect(exported.has(name), `${name} in ${expr}`).toBe(true);
    }
    // And the dashboard shows each metric the exporter has.
    const used = new Set(exprs.flatMap(metricNames).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    for (const m of EXPORTED_METRICS) expect(used.has(m.name), m.name).toBe(true);
  });

  it('every alert expression', () => {
    const exported = exportedSeriesNames();
    const exprs = alertExprs();
    expect(exprs.length).toBe(4);
    for (const expr of exprs) {
      for (const name of metricNames(expr)) expect(exported.has(name), `${name} in ${expr}`).toBe(true);
    }
  });
});

describe.skipIf(!PROMTOOL)(
  'deploy/prometheus with promtool (skipped: promtool not installed; apt-get install prometheus)',
  () => {
    it('the alert rules pass promtool check rules and their unit tests', async () => {
      const rules = join(deploy, 'prometheus/portscope-alerts.yml');
      const checked = await run(PROMTOOL as string, ['check', 'rules', rules]);
      expect(checked.stdout).toContain('SUCCESS: 4 rules found');
      const tested = await run(PROMTOOL as string, ['test', 'rules', 'portscope-alerts.test.yml'], {
        cwd: join(deploy, 'prometheus'),
      });
      expect(tested.stdout).toContain('SUCCESS');
    });

    it('the scrape config passes promtool check config (with its token file beside it)', async () => {
      for (const f of ['prometheus.yml', 'portscope-alerts.yml'])
        copyFileSync(join(deploy, 'prometheus', f), join(dir, f));
      writeFileSync(join(dir, 'portscope.token'), 'x'.repeat(32));
      chmodSync(join(dir, 'portscope.token'), 0o600);
      const { stdout } = await run(PROMTOOL as string, ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(stdout).toContain('is valid prometheus config file syntax');
    });
  },
);

describe.skipIf(!SYSTEMD_ANALYZE)('deploy/systemd (skipped: systemd-analyze not installed)', () => {
  it('the unit passes systemd-analyze verify with no warning', async () => {
    // The unit names the installed CLI; here the checkout's launcher stands in for it.
    const text = readFileSync(join(deploy, 'systemd/portscope-metrics.service'), 'utf8');
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/portscope metrics --listen 127\.0\.0\.1:9798 /m);
    const unit = join(dir, 'portscope-metrics.service');
    writeFileSync(unit, text.replaceAll('/usr/bin/portscope', join(root, 'bin/portscope.cjs')));
    const { stdout, stderr } = await run(SYSTEMD_ANALYZE as string, ['verify', unit]);
    expect(`${stdout}${stderr}`).toBe('');
  });
});
