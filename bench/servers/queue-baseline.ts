// The `queue` benchmark's baseline: a bare Node HTTP + `ws` server that sends the same frames as
// the real one for the same joins and takes, with nothing else (no schema checks, no store, no
// accounts, no rate limits): what keeping 10,000 sockets told of their place costs at least.
//   POST /api/tickets {queue}         → 201 {ticketId, token}
//   /?token=<token>                   a waiting customer: told its place (ticket.status)
//   /?console=1                       an analyst console: told of every join (queue.ticketUpserted)
//   console → {type:'ticket.take', ticketId}: the customer is told "offered", the consoles
//   "removed", the console "session.started", every customer behind its new place.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveMemoryProbe } from './child-io.js';

interface Ticket {
  id: string;
  token: string;
  queue: string;
  name: string;
  socket: WebSocket | null;
  createdAt: number;
}

const tickets = new Map<string, Ticket>();
const byToken = new Map<string, Ticket>();
const lines = new Map<string, Ticket[]>();
const consoles = new Set<WebSocket>();

const status = (ticket: Ticket, state: string, position: number) =>
  JSON.stringify({ type: 'ticket.status', ticketId: ticket.id, queue: ticket.queue, queueName: ticket.queue, name: ticket.name, state, position });
const summary = (ticket: Ticket) => ({ id: ticket.id, queue: ticket.queue, name: ticket.name, email: 'customer@example.com', phone: '0123456789', createdAt: ticket.createdAt, customerOnline: true, state: 'waiting' });

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/tickets') return void res.writeHead(404).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const { queue, name } = JSON.parse(body) as { queue: string; name: string };
    const ticket: Ticket = { id: randomUUID(), token: randomUUID(), queue, name, socket: null, createdAt: Date.now() };
    tickets.set(ticket.id, ticket);
    byToken.set(ticket.token, ticket);
    if (!lines.has(queue)) lines.set(queue, []);
    lines.get(queue)!.push(ticket);
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ticketId: ticket.id, token: ticket.token }));
  });
});

const wss = new WebSocketServer({ server: http });
wss.on('connection', (socket, req) => {
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  if (query.get('console')) {
    consoles.add(socket);
    socket.on('close', () => consoles.delete(socket));
    socket.on('message', (raw) => take(socket, JSON.parse(String(raw)) as { type: string; ticketId: string }));
    return;
  }
  const ticket = byToken.get(query.get('token') ?? '');
  if (!ticket) return socket.close(4401);
  ticket.socket = socket;
  socket.send(status(ticket, 'waiting', lines.get(ticket.queue)!.indexOf(ticket) + 1));
  const upserted = JSON.stringify({ type: 'queue.ticketUpserted', ticket: summary(ticket) });
  for (const console of consoles) console.send(upserted);
});

function take(console: WebSocket, frame: { type: string; ticketId: string }): void {
  const ticket = tickets.get(frame.ticketId);
  if (frame.type !== 'ticket.take' || !ticket) return;
  const line = lines.get(ticket.queue)!;
  const index = line.indexOf(ticket);
  if (index < 0) return;
  line.splice(index, 1);
  ticket.socket?.send(status(ticket, 'offered', 0));
  const removed = JSON.stringify({ type: 'queue.ticketRemoved', ticketId: ticket.id, reason: 'taken' });
  for (const other of consoles) other.send(removed);
  console.send(JSON.stringify({ type: 'session.started', sessionId: ticket.id, ticket: summary(ticket) }));
  for (let i = index; i < line.length; i++) line[i].socket?.send(status(line[i], 'waiting', i + 1));
}

http.listen(0, '127.0.0.1', () => serveMemoryProbe((http.address() as { port: number }).port));
