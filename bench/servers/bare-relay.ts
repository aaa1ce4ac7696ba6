// The baseline: a bare `ws` server that pairs two sockets (?pair=<id>) and forwards each message to
// the other, with no parsing, validation, authentication or state. What any relay costs at least.
import { WebSocketServer, type WebSocket } from 'ws';
import { serveMemoryProbe } from './child-io.js';

const pairs = new Map<string, WebSocket[]>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket, req) => {
  const pair = new URL(req.url ?? '/', 'http://x').searchParams.get('pair') ?? '';
  const members = pairs.get(pair) ?? [];
  members.push(socket);
  pairs.set(pair, members);
  socket.on('message', (data, isBinary) => {
    for (const other of members) if (other !== socket && other.readyState === 1) other.send(data, { binary: isBinary });
  });
  socket.on('close', () => members.splice(members.indexOf(socket), 1));
});
server.on('listening', () => serveMemoryProbe((server.address() as { port: number }).port));
