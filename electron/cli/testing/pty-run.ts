import { execFile } from 'node:child_process';
import { PYTHON } from '../../core/testing/py-servers';

/**
 * Run a program under a real pseudo-terminal of `columns` × 50 (python's pty module: the child
 * sets the size on its own terminal before exec, so the program sees it from its first line) and
 * return what it printed, line ends normalised. No shell: the argv goes to os.execvp as a list.
 */
const PTY_RUNNER = `
import fcntl, os, pty, struct, sys, termios
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export function runInPty(
  columns: number,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      ['-c', PTY_RUNNER, String(columns), ...argv],
      { env, timeout: 60_000, maxBuffer: 16 << 20 },
      (error, out) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, out: out.replace(/\r\n/g, '\n') });
      },
    );
  });
}
