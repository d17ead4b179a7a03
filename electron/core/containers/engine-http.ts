import type { IncomingMessage, RequestOptions } from 'node:http';

/** One answer of a container engine's API. */
export interface EngineResponse {
  status: number;
  body: string;
}

/** Largest API answer read (a machine with thousands of containers stays well under it). */
const MAX_BODY = 16 * 1024 * 1024;

type HttpModule = typeof import('node:http');
let http: HttpModule | null = null;

/**
 * The options of every request to an engine's unix socket. No TLS here: an empty servername spares
 * Node's agent working one out with isIP(), whose IPv6 pattern it compiles on first use
 * ('localhost' is tested against it): 7–10 ms of every `portscope who`. (A TLS option, so not in
 * http's own option type.)
 */
function engineOptions(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
): RequestOptions & { servername: string } {
  return { socketPath, servername: '', method, path, headers: { host: 'localhost', 'content-length': '0' } };
}

/**
 * One HTTP request to a Docker/Podman engine over its unix socket: plain `http.request` with
 * `socketPath`, no client library (measured: a client library adds tens of ms to every CLI
 * start; this is a lazy import of a built-in, loaded only once a socket file exists).
 * Rejects with the socket's errno (ENOENT, ECONNREFUSED, EACCES …) or a timeout.
 */
export async function engineRequest(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs = 2000,
): Promise<EngineResponse> {
  http ??= await import('node:http');
  const mod = http;
  return new Promise((resolve, reject) => {
    const req = mod.request(engineOptions(socketPath, method, path), (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new Error('engine answer too large'));
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => {
      const err = new Error(`no answer within ${timeoutMs} ms`) as NodeJS.ErrnoException;
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The container events that change what `GET /containers/json` answers (running containers,
 * their names and published ports); exec, attach and health checks are left out, since they change
 * none of it (a health check runs every few seconds on some containers).
 */
const LIST_EVENTS = ['create', 'start', 'die', 'destroy', 'pause', 'unpause', 'rename', 'update'];

/** `GET /events` filtered to LIST_EVENTS: Docker's and Podman's compatible API answer the same. */
const EVENTS_PATH = `/events?filters=${encodeURIComponent(
  JSON.stringify({ type: ['container'], event: LIST_EVENTS }),
)}`;

/**
 * Follow an engine's container events: `onEvent` runs once when the engine accepts the stream (a
 * change made before it opened is not streamed: read the list again), then for each chunk the
 * engine streams (one or more events); `onClose` runs once when the stream ends for any reason
 * (engine stopped, refused, answered with an error status). The connection is unref'd: it never
 * keeps a process alive.
 * Returns a function that closes it (onClose then runs too).
 */
export async function engineEvents(
  socketPath: string,
  onEvent: () => void,
  onClose: () => void,
): Promise<() => void> {
  http ??= await import('node:http');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const req = http.request(engineOptions(socketPath, 'GET', EVENTS_PATH), (res: IncomingMessage) => {
    if (res.statusCode !== 200) {
      res.resume();
      req.destroy();
      close();
      return;
    }
    onEvent();
    res.on('data', () => {
      if (!closed) onEvent();
    });
    res.on('end', close);
    res.on('error', close);
    res.on('close', close);
  });
  req.on('socket', (s) => s.unref());
  req.on('error', close);
  req.on('close', close);
  req.end();
  return () => {
    req.destroy();
    close();
  };
}
