import t from 'tap';
import { CLOSE_CODES } from '../../../../protocol/index.js';
import { jitteredBackoff, signalingReconnectPolicy } from '../../../../web/session/backoff.js';
import { SignalingClient, type SocketLike } from '../../../../web/session/signaling-client.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly path: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  // the server's side
  accept(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  deliver(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** A client on fake sockets and a hand-driven timer. */
function harness(beforeReconnect?: () => Promise<boolean>) {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  let backOnline: () => void = () => undefined;
  const client = new SignalingClient('?token=abc', {
    beforeReconnect,
    onOnline: (listener) => (backOnline = listener),
    policy: { delayMs: (attempt, code) => (code === 4503 ? 1000 : 100 * attempt) },
    openSocket: (path) => {
      const socket = new FakeSocket(path);
      sockets.push(socket);
      return socket;
    },
    schedule: (run, ms) => {
      const timer = { run, ms, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  });
  const fire = async () => {
    const timer = timers.shift();
    if (timer && !timer.cancelled) timer.run();
    await new Promise((r) => setImmediate(r));
  };
  return { client, sockets, timers, fire, online: () => backOnline() };
}

t.test('back online: a reconnection waiting out its backoff goes at once', async (t) => {
  const { client, sockets, timers, online } = harness();
  client.connect();
  sockets[0].accept();
  sockets[0].drop(1006);
  t.equal(timers.length, 1, 'a retry is scheduled');
  online();
  await new Promise((r) => setImmediate(r));
  t.equal(sockets.length, 2, 'reconnected without waiting');
  t.ok(timers[0].cancelled, 'the scheduled retry is cancelled');
  online();
  await new Promise((r) => setImmediate(r));
  t.equal(sockets.length, 2, 'an online event while connecting or connected does nothing');
});

t.test('listeners stay subscribed across reconnections; the backoff grows and resets once connected', async (t) => {
  const { client, sockets, timers, fire } = harness();
  const statuses: string[] = [];
  client.on('ticket.status', (frame) => statuses.push(frame.state));
  client.connect();
  t.equal(sockets[0].path, '/ws?token=abc');
  sockets[0].accept();
  sockets[0].deliver({ type: 'ticket.status', state: 'waiting' });
  sockets[0].drop(1006);
  t.same(timers.map((x) => x.ms), [100], 'first retry after the first step');
  await fire();
  t.equal(sockets.length, 2, 'a new socket');
  sockets[1].drop(1006);
  t.same(timers.map((x) => x.ms), [200], 'the next wait is longer (no answer in between)');
  await fire();
  sockets[2].accept();
  sockets[2].deliver({ type: 'ticket.status', state: 'offered' });
  t.same(statuses, ['waiting', 'offered'], 'one subscription heard both sockets');
  sockets[2].drop(1006);
  t.same(timers.map((x) => x.ms), [100], 'back to the first step after a connection that worked');
  client.close();
  await fire();
  t.equal(sockets.length, 3, 'close() cancels the pending reconnection');
});

t.test('a final close (ticket ended, replaced) stops for good; a shutdown (4503) is retried soon', async (t) => {
  const { client, sockets, timers, fire } = harness();
  const closes: Array<{ code: number; final: boolean } | undefined> = [];
  client.onState((state, close) => state === 'closed' && closes.push(close));
  client.connect();
  sockets[0].accept();
  sockets[0].drop(CLOSE_CODES.shuttingDown);
  t.same(timers.map((x) => x.ms), [1000]);
  await fire();
  sockets[1].accept();
  sockets[1].drop(CLOSE_CODES.ended);
  t.same(timers, [], 'no retry after a final close');
  t.same(closes, [{ code: CLOSE_CODES.shuttingDown, final: false }, { code: CLOSE_CODES.ended, final: true }]);
});

t.test('beforeReconnect() saying no (link no longer valid, signed out) stops the reconnection', async (t) => {
  let checks = 0;
  const { client, sockets, fire } = harness(async () => {
    checks += 1;
    return false;
  });
  client.connect();
  sockets[0].accept();
  sockets[0].drop(1006);
  await fire();
  t.equal(checks, 1);
  t.equal(sockets.length, 1, 'no new socket');
  t.notOk(client.send({ type: 'ticket.cancel' }), 'nothing can be sent');
});

t.test('the policy: jittered exponential backoff, 1-2 s after a shutdown', async (t) => {
  t.equal(jitteredBackoff(1, () => 0), 500, 'half the step at the least');
  t.equal(jitteredBackoff(1, () => 1), 1000, 'the whole step at the most');
  t.equal(jitteredBackoff(10, () => 1), 10_000, 'capped');
  const policy = signalingReconnectPolicy(() => 0.5);
  t.equal(policy.delayMs(5, 4503), 1500);
  t.equal(policy.delayMs(2, 1006), 1500);
});
