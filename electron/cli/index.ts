// Placeholder; the CLI dispatcher is built in electron/cli (issue 2).
process.stdout.write('portscope: not built yet\n');
