// The baseline: a bare `ws` server that pairs two sockets (?pair=<id>) and forwards each message to
// the other (pair-relay.ts). What any relay costs at least.
import { WebSocketServer } from 'ws';
import { serveMemoryProbe } from './child-io.js';
import { relayPairs } from './pair-relay.js';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
relayPairs(server);
server.on('listening', () => serveMemoryProbe((server.address() as { port: number }).port));
