import { describe, expect, it } from 'vitest';
import { processLabel } from './process-label';
import { isUnsafeChar } from './socket-rules';

/** [kernel name, command line as /proc/<pid>/cmdline joins it, expected label (null = the name says it)]. */
const CASES: [string, string, string | null][] = [
  // Node tools through node_modules/.bin (what the shebang turns `npx vite` and `npm run dev` into).
  ['node', 'node /home/ann/shop/node_modules/.bin/vite', 'vite'],
  ['node', 'node /home/ann/shop/node_modules/.bin/vite --port 5173 --host', 'vite'],
  ['node', 'node /home/ann/shop/node_modules/vite/bin/vite.js preview', 'vite preview'],
  ['node', 'node /home/ann/web/node_modules/.bin/next dev -p 3001', 'next dev'],
  ['node', 'node /home/ann/web/node_modules/next/dist/bin/next start', 'next start'],
  ['next-server (v', 'next-server (v14.2.3)', 'next-server'],
  ['node', 'node /app/node_modules/@angular/cli/bin/ng.js serve', 'ng serve'],
  ['node', 'node /app/node_modules/.bin/nest start --watch', 'nest start'],
  ['node', 'node /app/node_modules/.bin/webpack-dev-server --mode development', 'webpack-dev-server'],
  ['node', 'node /app/node_modules/react-scripts/scripts/start.js', 'react-scripts'],
  ['node', 'node /app/node_modules/.bin/tsx watch src/server.ts', 'tsx server.ts'],
  ['node', 'node /app/node_modules/.bin/nodemon app.js', 'nodemon app.js'],
  ['node', 'node /usr/local/bin/nodemon --watch src index.js', 'nodemon index.js'],
  // Plain node scripts: interpreter + script, options and their values skipped.
  ['node', 'node server.js', 'node server.js'],
  ['node', '/usr/bin/node /srv/api/dist/index.js', 'node index.js'],
  ['node', 'node --inspect=9229 --max-old-space-size=4096 app.mjs', 'node app.mjs'],
  ['node', 'node -r dotenv/config server.js', 'node server.js'],
  ['node', 'node --import tsx src/main.ts', 'node main.ts'],
  ['node', 'node -e require("http").createServer().listen(3000)', 'node -e'],
  ['nodejs', '/usr/bin/nodejs server.js', 'node server.js'],
  ['node', 'node', null],
  // Package-manager scripts.
  ['npm run dev', 'npm run dev', null],
  ['node', 'npm run dev', 'npm run dev'],
  ['npm', 'npm start', 'npm start'],
  ['node', 'node /usr/lib/node_modules/npm/bin/npm-cli.js run dev', 'npm run dev'],
  ['node', 'node /usr/local/bin/npm run build -- --watch', 'npm run build'],
  ['npm exec vite', 'npm exec vite', 'vite'],
  ['node', 'node /usr/local/bin/npx vite@5 --port 3000', 'vite'],
  ['node', 'node /usr/share/yarn/bin/yarn.js dev', 'yarn dev'],
  ['node', 'node /usr/local/bin/yarn run storybook', 'yarn run storybook'],
  ['node', 'node /usr/local/lib/node_modules/corepack/dist/pnpm.js dev', 'pnpm dev'],
  ['node', 'node /usr/local/bin/pnpm --filter web dev', 'pnpm dev'],
  ['bun', 'bun run dev', 'bun run dev'],
  ['bun', 'bun server.ts', 'bun server.ts'],
  ['deno', 'deno run -A --watch main.ts', 'deno main.ts'],
  ['deno', 'deno task dev', 'deno task dev'],
  // Python: -m modules, scripts, console scripts in a venv's bin.
  ['python3', '/usr/bin/python3 -m http.server 8000', 'python -m http.server'],
  ['python3', 'python3 -m http.server --bind 127.0.0.1', 'python -m http.server'],
  ['python3.12', '/root/.pyenv/versions/3.12.4/bin/python3.12 -mhttp.server', 'python -m http.server'],
  ['python', 'python -u -W ignore app.py', 'python app.py'],
  ['python3', 'python3 manage.py runserver 0.0.0.0:8000', 'python manage.py runserver'],
  ['python3', '/srv/venv/bin/python3 /srv/venv/bin/uvicorn main:app --reload', 'uvicorn main:app'],
  ['python3', '/srv/venv/bin/python /srv/venv/bin/gunicorn -w 4 app:app', 'gunicorn'],
  ['python3', '/srv/venv/bin/python /srv/venv/bin/flask run', 'flask run'],
  ['python3', 'python3 -c import socket; socket.socket()', 'python -c'],
  ['python3', '/usr/bin/python3 /usr/local/bin/jupyter-lab --no-browser', 'jupyter-lab'],
  // Processes that retitle themselves.
  ['postgres', 'postgres: checkpointer', 'postgres: checkpointer'],
  ['postgres', 'postgres: 15/main: walwriter', 'postgres: 15/main: walwriter'],
  ['postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main', null],
  ['nginx', 'nginx: worker process', 'nginx: worker process'],
  ['sshd', 'sshd: ann@pts/0', 'sshd: ann@pts/0'],
  ['gunicorn', 'gunicorn: master [app:app]', 'gunicorn: master [app:app]'],
  // Other runtimes.
  ['ruby', 'ruby bin/rails server -p 3000', 'rails server'],
  ['ruby', 'puma 6.4.2 (tcp://0.0.0.0:3000) [shop]', 'puma'],
  ['java', '/usr/lib/jvm/java-17/bin/java -Xmx512m -jar /opt/app/app-1.0.jar', 'java -jar app-1.0.jar'],
  ['java', 'java -cp lib/* org.example.Main', 'java Main'],
  ['php', 'php -S localhost:8000 -t public', 'php -S'],
  ['php-fpm8.2', 'php-fpm: pool www', 'php-fpm: pool www'],
  ['cargo', 'cargo run --release', 'cargo run'],
  ['go', 'go run ./cmd/server', 'go run'],
  ['hugo', 'hugo server -D', 'hugo server'],
  // Native daemons: the label would only repeat the name.
  ['redis-server', '/usr/bin/redis-server 127.0.0.1:6379', null],
  ['sshd', '/usr/sbin/sshd -D', null],
  ['docker-proxy', '/usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080', null],
  ['systemd-resolve', '/lib/systemd/systemd-resolved', 'systemd-resolved'],
  ['kworker/0:1', '', null],
  ['code', 'C:\\Program Files\\nodejs\\node.exe C:\\app\\server.js', 'node server.js'],
];

describe('processLabel', () => {
  it.each(CASES)('%s: %s', (name, command, expected) => {
    expect(processLabel(name, command)).toBe(expected);
  });

  it('never lets terminal escapes, bidi overrides or zero-width characters through', () => {
    const evil = 'node /tmp/\u001b[2J\u001b]0;pwned\u0007x\u202eevil\u200b.js';
    const label = processLabel('node', evil) ?? '';
    expect(label).toMatch(/^node /);
    expect([...label].filter((ch) => isUnsafeChar(ch) || /[\u200b-\u200d]/.test(ch))).toEqual([]);
    expect(label).toBe('node [2J]0;pwnedxevil.js');
  });

  it('keeps a label short whatever the command line holds', () => {
    const long = `node /tmp/${'a'.repeat(5000)}.js ${'x '.repeat(10_000)}`;
    expect((processLabel('node', long) ?? '').length).toBeLessThanOrEqual(60);
    expect(processLabel('x', `${'y'.repeat(3000)}: ${'z'.repeat(3000)}`)?.length).toBeLessThanOrEqual(60);
  });

  it('does not crash on odd shapes', () => {
    for (const cmd of ['--', '-', ' ', 'npm', 'npm run', 'node --', 'python -m', 'java -jar', ':', 'a:b']) {
      expect(() => processLabel('x', cmd)).not.toThrow();
    }
  });
});
