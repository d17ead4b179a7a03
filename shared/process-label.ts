import { labelText } from './socket-rules';

/**
 * What a developer calls a process, from its name and command line: `vite`, `next dev`,
 * `python -m http.server`, `postgres: checkpointer`, `node server.js`, `npm run dev`. The table and
 * the CLI show it beside the kernel's name, which reads "node" for seven different servers.
 *
 * Command lines are hostile input: the label is built from arguments only (never executed), each
 * part cleaned with labelText and cut, so a crafted argument cannot draw a terminal escape, reorder
 * text with bidi controls or fill the column. The command line is split on spaces (the engine joins
 * argv with spaces), so a script path with a space in it loses its tail: a label, not an identity.
 */

/** Longest label part (a script name, a module) kept; the whole label is cut at MAX_LABEL. */
const MAX_PART = 40;
const MAX_LABEL = 60;

/** Interpreters whose first non-option argument (or `-m module`) is what runs. */
const INTERPRETER =
  /^(node|nodejs|bun|deno|python[\d.]*|pypy[\d.]*|ruby[\d.]*|perl[\d.]*|php[\d.]*|java|dotnet)$/;
/** Package-manager front ends whose sub-command names the script (`npm run dev`, `yarn dev`). */
const RUNNERS = new Set(['npm', 'yarn', 'pnpm', 'bun', 'npx', 'pnpx', 'bunx']);
/** Node launchers people name by the tool they launch (`tsx watch src/server.ts` → `tsx src/server.ts`). */
const NODE_LAUNCHERS = new Set(['tsx', 'ts-node', 'ts-node-dev', 'nodemon', 'node-dev']);
/** Tools whose first plain argument is a sub-command worth keeping (`next dev`, `vite preview`). */
const SUBCOMMAND_TOOLS = new Set([
  'next',
  'nuxt',
  'nuxi',
  'vite',
  'astro',
  'remix',
  'svelte-kit',
  'ng',
  'nest',
  'gatsby',
  'expo',
  'webpack',
  'webpack-dev-server',
  'react-scripts',
  'vue-cli-service',
  'parcel',
  'storybook',
  'start-storybook',
  'wrangler',
  'firebase',
  'jest',
  'vitest',
  'playwright',
  'docusaurus',
  'hugo',
  'rails',
  'manage.py',
  'flask',
  'uvicorn',
  'hypercorn',
  'daphne',
  'celery',
  'cargo',
  'go',
  'dotnet',
  'mix',
  'deno',
  'bun',
]);
/** Node/python options that take a value as the next argument (so the value is not the script). */
const OPTION_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--inspect-port',
  '--title',
  '--env-file',
  '--conditions',
  '-C',
  '-W',
  '-X',
  '-Q',
  '-cp',
  '-classpath',
  '--class-path',
  '-I',
  // Package managers: `pnpm --filter web dev`, `npm --prefix api start`, `yarn --cwd web dev`.
  '--filter',
  '-F',
  '--prefix',
  '--dir',
  '--cwd',
  '--workspace',
]);

/** Basename of a path, without the trailing `.exe`/`.cmd` Windows adds. */
function base(arg: string): string {
  const b = arg.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '');
  return b.replace(/\.(exe|cmd|bat)$/i, '');
}

/** A clean, bounded part of a label (hostile text in, printable text out). */
function part(text: string): string {
  const clean = labelText(text);
  return clean.length > MAX_PART ? `${clean.slice(0, MAX_PART - 1)}…` : clean;
}

/**
 * What a script argument runs. `node_modules/.bin/X`, `…/node_modules/X/…` and an extension-less
 * file in a `bin/` folder (`/venv/bin/uvicorn`) name the tool X; npm's, yarn's and pnpm's own entry
 * scripts name the runner; anything else is a script, named by its file name.
 */
function scriptName(arg: string): { tool: string | null; text: string } {
  const b = base(arg);
  const stem = b.replace(/\.[cm]?js$/, '');
  if (stem === 'npm-cli') return { tool: 'npm', text: 'npm' };
  if (RUNNERS.has(stem)) return { tool: stem, text: stem };
  const bin = /(?:^|[\\/])node_modules[\\/]\.bin[\\/]([^\\/]+)$/.exec(arg);
  if (bin?.[1]) return { tool: base(bin[1]), text: base(bin[1]) };
  const pkg = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(arg);
  if (pkg?.[1]) {
    const name = pkg[1].replace(/\\/g, '/');
    // @angular/cli → ng, @nestjs/cli → nest: the command people type, not the package.
    const tool = PACKAGE_COMMANDS[name] ?? (name.startsWith('@') ? (name.split('/')[1] ?? name) : name);
    return { tool, text: tool };
  }
  if (!b.includes('.') && /(?:^|[\\/])bin[\\/][^\\/]+$/.test(arg)) return { tool: b, text: b };
  return { tool: null, text: b };
}

/** Packages whose command has another name. */
const PACKAGE_COMMANDS: Record<string, string> = {
  '@angular/cli': 'ng',
  '@nestjs/cli': 'nest',
  '@remix-run/dev': 'remix',
  '@sveltejs/kit': 'svelte-kit',
  '@vue/cli-service': 'vue-cli-service',
  '@storybook/cli': 'storybook',
  'ts-node-dev': 'ts-node-dev',
};

/** First plain (non-option) argument after `from`, skipping options and the values they take. */
function firstPlain(args: readonly string[], from: number): number {
  for (let i = from; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return i + 1 < args.length ? i + 1 : -1;
    if (a.startsWith('-')) {
      if (OPTION_WITH_VALUE.has(a)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * `tool sub` when the tool has sub-commands and the argument right after it is one (`next dev -p 1`);
 * only that position, because after an option (`--mode development`) a word is the option's value.
 */
function withSubcommand(tool: string, args: readonly string[], from: number): string {
  if (!SUBCOMMAND_TOOLS.has(tool)) return tool;
  const sub = args[from];
  // A sub-command is a word (dev, start, runserver, run:dev), not a path or a file.
  if (sub && /^[a-z][\w:-]*$/i.test(sub) && !/\.(m?[jt]s|py|rb)$/.test(sub)) return `${tool} ${sub}`;
  return tool;
}

/** `npm run dev`, `yarn dev`, `pnpm --filter web dev`, `npx vite` → `vite`. */
function runnerLabel(runner: string, args: readonly string[], from: number): string {
  const i = firstPlain(args, from);
  if (i < 0) return runner;
  const sub = args[i] as string;
  if (runner === 'npx' || runner === 'pnpx' || runner === 'bunx' || sub === 'exec' || sub === 'dlx') {
    const j = sub === 'exec' || sub === 'dlx' ? firstPlain(args, i + 1) : i;
    if (j < 0) return runner;
    const tool = base(args[j] as string).replace(/@[^@/]*$/, '') || (args[j] as string);
    return withSubcommand(tool, args, j + 1);
  }
  if (sub === 'run' || sub === 'run-script') {
    const j = firstPlain(args, i + 1);
    return j < 0 ? `${runner} run` : `${runner} run ${args[j]}`;
  }
  // npm start / npm test and yarn dev / pnpm dev: the script is the sub-command.
  return `${runner} ${sub}`;
}

/** interpreter + what it runs: `-m module`, `-c`/`-e` inline code, a script, a tool script. */
function interpreterLabel(interp: string, args: readonly string[]): string {
  const family = interp.replace(/[\d.]+$/, '') || interp;
  const shown = family === 'nodejs' ? 'node' : family;
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-m' && args[i + 1]) return `${shown} -m ${args[i + 1]}`;
    if (/^-m\S/.test(a) && family.startsWith('python')) return `${shown} -m ${a.slice(2)}`;
    if (a === '-jar' && args[i + 1]) return `java -jar ${base(args[i + 1] as string)}`;
    // PHP's built-in web server: `php -S localhost:8000 -t public`.
    if (a === '-S' && family === 'php') return 'php -S';
    if (a === '-c' || a === '-e' || a === '--eval' || a === '-p' || a === '--print') return `${shown} ${a}`;
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (OPTION_WITH_VALUE.has(a)) i++;
      continue;
    }
    if (shown === 'deno' && (a === 'run' || a === 'serve' || a === 'task')) {
      const j = firstPlain(args, i + 1);
      if (j < 0) return `deno ${a}`;
      return a === 'task' ? `deno task ${args[j]}` : `deno ${base(args[j] as string)}`;
    }
    if (shown === 'java') return `java ${a.replace(/^.*\./, '')}`;
    const script = scriptName(a);
    if (script.tool) {
      if (NODE_LAUNCHERS.has(script.tool)) return launcherLabel(script.tool, args, i + 1);
      if (RUNNERS.has(script.tool)) return runnerLabel(script.tool, args, i + 1);
      return withSubcommand(script.tool, args, i + 1);
    }
    // A script with sub-commands of its own keeps them: `python manage.py runserver`.
    return `${shown} ${withSubcommand(script.text, args, i + 1)}`;
  }
  return shown;
}

/**
 * `tsx watch src/server.ts` → `tsx server.ts`; `nodemon --watch src index.js` → `nodemon index.js`:
 * the first argument that names a script file (launcher options take values we cannot list).
 */
function launcherLabel(tool: string, args: readonly string[], from: number): string {
  const script = args.slice(from).find((a) => !a.startsWith('-') && /\.[cm]?[jt]sx?$/.test(a));
  if (script) return `${tool} ${base(script)}`;
  const i = firstPlain(args, from);
  return i < 0 || args[i] === 'watch' ? tool : `${tool} ${base(args[i] as string)}`;
}

/** Processes that name themselves through their title (`postgres: checkpointer`, `nginx: worker process`). */
function retitled(command: string): string | null {
  const m = /^([a-z][\w.-]*): (\S.*)$/i.exec(command);
  return m ? `${m[1]}: ${m[2]}` : null;
}

/**
 * The friendly label of a process, or null when it would only repeat the name (an empty command
 * line: a kernel thread, a process we could not read). Pure and cheap; the engine computes it once
 * per (PID, start id) as part of the process metadata.
 */
export function processLabel(name: string, command: string): string | null {
  const cmd = command.trim();
  if (cmd === '') return null;
  const titled = retitled(cmd);
  if (titled) return finish(titled, name);
  // A Windows executable path may hold spaces (`C:\\Program Files\\nodejs\\node.exe app.js`).
  const exePath = /^(.+?\.exe)(?: |$)/i.exec(cmd)?.[1];
  const args = exePath
    ? [exePath, ...cmd.slice(exePath.length).split(/ +/).filter(Boolean)]
    : cmd.split(/ +/);
  const exe = base(args[0] as string);
  let label: string;
  if (RUNNERS.has(exe)) label = runnerLabel(exe, args, 1);
  else if (NODE_LAUNCHERS.has(exe)) label = launcherLabel(exe, args, 1);
  else if (INTERPRETER.test(exe)) label = interpreterLabel(exe, args);
  else label = withSubcommand(exe, args, 1);
  return finish(label, name);
}

function finish(label: string, name: string): string | null {
  const clean = label
    .split(' ')
    .map((p) => part(p))
    .filter(Boolean)
    .join(' ');
  if (clean === '' || clean === labelText(name)) return null;
  return clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean;
}
