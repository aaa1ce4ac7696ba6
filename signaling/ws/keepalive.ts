import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Finds sockets whose other end vanished without closing: a laptop lid shut, a frozen computer, a
 * network that dropped on the way. TCP alone can take many minutes to notice, and meanwhile the
 * person would look present and their session would wait for them. Every `intervalMs` each socket
 * is pinged (browsers and the helper answer pings by themselves); a socket that has not answered
 * the previous ping by the next round is terminated. That closes it as a drop (1006), so its
 * person gets the reconnection grace like after any other network drop. The pings also keep idle
 * sockets open through proxies that close silent connections.
 *
 * Returns the function that stops it (at server close).
 */
export function keepAlive(server: WebSocketServer, intervalMs: number): () => void {
  /** Sockets pinged and not heard from since. */
  const unanswered = new WeakSet<WebSocket>();
  const onConnection = (socket: WebSocket) => socket.on('pong', () => unanswered.delete(socket));
  server.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const socket of server.clients) {
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    server.off('connection', onConnection);
  };
}
