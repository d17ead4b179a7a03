import net from 'node:net';

/** A real loopback TCP connection opened by the test: both ends live in this process. */
export interface LoopbackPair {
  server: net.Server;
  client: net.Socket;
  /** The server's accepted end. */
  accepted: net.Socket;
  serverPort: number;
  clientPort: number;
  close(): void;
}

/** Open a server on 127.0.0.1 and connect to it (optionally from a fixed local port). */
export async function loopbackPair(server?: net.Server, localPort?: number): Promise<LoopbackPair> {
  const srv = server ?? net.createServer();
  if (!server) await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const serverPort = (srv.address() as net.AddressInfo).port;
  const acceptedP = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect({ port: serverPort, host: '127.0.0.1', localAddress: '127.0.0.1', localPort });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const accepted = await acceptedP;
  // Errors are what these tests provoke; each test reads them from `ended`.
  accepted.on('error', () => {});
  return {
    server: srv,
    client,
    accepted,
    serverPort,
    clientPort: client.localPort as number,
    close() {
      client.destroy();
      accepted.destroy();
      if (!server) srv.close();
    },
  };
}

/** Resolves with the error code the socket ends with ('' for a clean close). */
export function ended(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let code = '';
    socket.on('error', (e: NodeJS.ErrnoException) => {
      code = e.code ?? e.message;
    });
    socket.once('close', () => resolve(code));
    // Reading is what surfaces a reset: keep the socket flowing.
    socket.resume();
  });
}

/** Close a pair so that the same client port can connect again: server first, the client follows. */
export async function closeServerFirst(pair: LoopbackPair): Promise<void> {
  const closed = new Promise<void>((r) => pair.client.once('close', () => r()));
  pair.client.once('end', () => pair.client.end());
  pair.client.resume();
  pair.accepted.end();
  await closed;
}
