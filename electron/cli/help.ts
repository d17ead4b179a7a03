/** Help texts: what `portscope --help` and `portscope <command> --help` print (to stdout, exit 0). */

export const TOP_HELP = `portscope — every socket on this machine and the process that owns it

Usage: portscope <command> [options]

Commands:
  list            listening TCP ports and bound UDP sockets (every socket with --all)
  who <port>      who holds that port: process, PID, command line, user, start time
  kill <target>   end the process that holds a port (or pid:<n>), safely
  serve           the browser mode: the Portscope UI on http://127.0.0.1
  metrics         a Prometheus exporter of this machine's listening ports
  help [command]  this text, or a command's

Options:
  -h, --help      show help (also after any command)
  -v, --version   print the version
      --debug     also print on stderr which socket source ran and how long it took

Exit codes: 0 ok, 1 the answer is no (nobody holds the port, every source failed), 2 wrong usage.
`;

export const LIST_HELP = `Usage: portscope list [--all] [--json] [--filter TEXT] [--no-header] [--wide]

Listening TCP ports and bound UDP sockets, one row per socket, sorted by port then protocol.
PROCESS names every holder ("nginx +4 workers": a pre-fork master and its workers), or says
"(no process)" for a socket the kernel keeps after close, "(not visible)" for another user's.
PROTO and LOCAL ADDRESS are written as in the app: tcp6 ::1, 0.0.0.0%lo (bound device), * (a
dual-stack :: listener). SERVICE is the name people use (http, postgresql, vite, dev server),
else the IANA registry's; REACH (when known) says loopback or network.

Options:
  -a, --all          every socket, connections included (adds a REMOTE column)
      --json         a JSON array of rows instead of a table (fields: see README, "JSON output")
  -f, --filter TEXT  narrow with the filter language, e.g. "proc:node port:3000-3999",
                     ":5432", "proto:udp", "user:alice", "-proc:chrome" (negation)
      --no-header    leave out the header line (for scripts)
  -w, --wide         on a terminal too, never cut a column to fit the width
  -h, --help         show this help

A source that fails is reported on stderr as "portscope: warning: <tool>: <what>"; the exit code
is 0 when rows came, 1 when every source failed. On a terminal the table fits its width (COLUMNS,
else the terminal's): COMMAND shrinks first, then other columns; piped output and --wide keep
everything whole. Control characters in names print as '?'.
`;

export const WHO_HELP = `Usage: portscope who <port> [--all] [--json] [--wide]

Who holds that port (exactly: 3000 is not 30001): process name, PID, command line, user, start
time, and its sockets on that port, one block per set of holders (a pre-fork master and its
workers are one block naming them all, parent first). Listeners and bound UDP sockets come first.
Sockets the kernel keeps after their owner closed them (TIME_WAIT …) hold nothing: with --all
they are listed under "no process", and alone they make the exit code 1.

Arguments:
  <port>       1-65535, written as 3000 or :3000

Options:
  -a, --all    also connections whose local end is that port
      --json   a JSON array of { pid, process, owners, holder, sockets } instead of text
  -w, --wide   on a terminal too, never cut a line to fit the width
  -h, --help   show this help

Exit codes: 0 a process holds it, 1 none does, 2 wrong usage (e.g. a port like 3000x).
`;
