// `portscope serve` under the V8 CPU profiler, for finding where idle time goes: the bench points
// PORTSCOPE_CLI_BUNDLE here with PORTSCOPE_PROFILE=<file.cpuprofile>. NODE_OPTIONS may not carry
// --cpu-prof, hence the inspector session; it is in-thread, so stopping it inside 'exit' is synchronous.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const out = process.env.PORTSCOPE_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_INTERVAL ?? 500) });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(out, JSON.stringify(res.profile));
    });
  });
}
require(join(__dirname, '..', '..', 'out', 'cli', 'index.cjs')).runCli();
