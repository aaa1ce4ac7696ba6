import type { WebSocket, WebSocketServer } from 'ws';

/**
 * The bare relay: pairs the sockets that name the same `?pair=<id>` and forwards each message to the
 * other, with no parsing, validation, authentication or state. What any relay costs at least.
 */
export function relayPairs(server: WebSocketServer): void {
  const pairs = new Map<string, WebSocket[]>();
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
}
