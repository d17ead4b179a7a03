// Load generator for the engine bench: opens TCP listeners, bound UDP sockets and established
// loopback pairs, prints one READY line with what it opened, then holds them until stdin closes.
// Plain JS so it starts fast and needs nothing but Node. Loopback only.
import dgram from 'node:dgram';
import net from 'node:net';

const [tcpCount, udpCount, pairCount] = process.argv.slice(2).map((v) => Number(v));
const keep = [];

function listen(server, backlog = 8) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog }, resolve);
  });
}

async function main() {
  for (let i = 0; i < tcpCount; i++) {
    const s = net.createServer();
    await listen(s);
    keep.push(s);
  }
  for (let i = 0; i < udpCount; i++) {
    const u = dgram.createSocket('udp4');
    await new Promise((resolve, reject) => {
      u.once('error', reject);
      u.bind(0, '127.0.0.1', resolve);
    });
    keep.push(u);
  }
  // Established pairs: one listener accepts them all, so each pair is two ESTAB rows in this process.
  const accepted = [];
  const hub = net.createServer((sock) => accepted.push(sock));
  await listen(hub, 1024);
  const { port } = hub.address();
  for (let i = 0; i < pairCount; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(pairCount, i + 50); j++) {
      batch.push(
        new Promise((resolve, reject) => {
          const c = net.connect(port, '127.0.0.1', () => resolve(c));
          c.once('error', reject);
        }),
      );
    }
    keep.push(...(await Promise.all(batch)));
  }
  while (accepted.length < pairCount) await new Promise((r) => setTimeout(r, 10));
  process.stdout.write(
    `READY ${JSON.stringify({ tcpListeners: tcpCount + 1, udp: udpCount, established: pairCount * 2 })}\n`,
  );
}

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
main().catch((err) => {
  process.stdout.write(`FAILED ${err?.code ?? ''} ${err?.message ?? err}\n`);
  process.exit(1);
});
