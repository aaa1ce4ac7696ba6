import WebSocket from 'ws';
import { inBatches, login, open, startChild, type Child } from './load.js';
import { fmt, median, percentile, type Row } from './stats.js';

async function createTicket(base: string, i: number) {
  const res = await fetch(`${base}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queue: i % 2 ? 'general' : 'printers', name: `Customer ${i}`, email: `c${i}@example.com`, phone: '0123456789' }),
  });
  return (await res.json()) as { ticketId: string; token: string };
}

/** Idle memory per connection: RSS growth of the server process for `count` idle sockets. */
async function idleMemory(child: Child, count: number, url: (i: number) => string, headers: Record<string, string> = {}) {
  const before = await child.memory();
  const sockets = await inBatches(count, 200, (i) => open(url(i), headers));
  await new Promise((r) => setTimeout(r, 500));
  const after = await child.memory();
  sockets.forEach((s) => s.terminate());
  return (after.rss - before.rss) / count;
}

interface Pair {
  send(payload: string): void;
  /** Sets THE handler of received messages (replacing the previous one). */
  onReceive(handler: (data: string) => void): void;
}

/** A pair whose receiving socket has one listener, pointing at the current handler. */
function makePair(sender: WebSocket, receiver: WebSocket, extract: (raw: string) => string | null): Pair {
  let handler: (data: string) => void = () => undefined;
  receiver.on('message', (raw) => {
    const value = extract(String(raw));
    if (value !== null) handler(value);
  });
  return { send: (payload) => sender.send(payload), onReceive: (next) => void (handler = next) };
}

/** Messages/s and latency through the relay: each pair keeps `window` messages in flight for `ms`. */
async function relay(pairs: Pair[], ms: number, window: number, wrap: (payload: string) => string) {
  const latencies: number[] = [];
  let delivered = 0;
  const until = performance.now() + ms;
  await Promise.all(pairs.map((pair) => new Promise<void>((resolve) => {
    let inFlight = 0;
    const pump = () => {
      while (inFlight < window && performance.now() < until) {
        inFlight += 1;
        pair.send(wrap(String(performance.now())));
      }
      if (inFlight === 0 && performance.now() >= until) resolve();
    };
    pair.onReceive((sentAt) => {
      inFlight -= 1;
      delivered += 1;
      latencies.push(performance.now() - Number(sentAt));
      pump();
    });
    pump();
  })));
  pairs.forEach((pair) => pair.onReceive(() => undefined)); // late arrivals belong to no round
  return { perSecond: delivered / (ms / 1000), latencies };
}

export async function signalingBench(opts: { idle: number; pairs: number; seconds: number; tickets: number; rounds: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const ours = await startChild('./servers/relaydesk-node.ts');
  const bare = await startChild('./servers/bare-relay.ts');
  const base = `http://127.0.0.1:${ours.port}`;
  const wsOurs = `ws://127.0.0.1:${ours.port}/ws`;
  const wsBare = `ws://127.0.0.1:${bare.port}/`;
  try {
    const cookie = await login(base);
    // 1. Idle connections (analyst consoles: the idle socket of a signed-in analyst).
    const memOurs = await idleMemory(ours, opts.idle, () => wsOurs, { cookie });
    const memBare = await idleMemory(bare, opts.idle, (i) => `${wsBare}?pair=idle${i}`);

    // 2. Tickets per second over HTTP, 32 at a time.
    const started = performance.now();
    const tickets = await inBatches(opts.tickets, 32, (i) => createTicket(base, i));
    const ticketsPerSecond = opts.tickets / ((performance.now() - started) / 1000);

    // 3. Take latency and relays: `pairs` sessions, a customer and an analyst console each.
    const customers = await inBatches(opts.pairs, 50, (i) => open(`${wsOurs}?token=${tickets[i].token}`));
    const consoles = await inBatches(opts.pairs, 50, () => open(wsOurs, { cookie }));
    await new Promise((r) => setTimeout(r, 500));
    const takeLatencies = await inBatches(opts.pairs, 25, (i) => new Promise<number>((resolve) => {
      const sentAt = performance.now();
      const onMessage = (raw: WebSocket.RawData) => {
        const frame = JSON.parse(String(raw));
        if (frame.type === 'session.started' && frame.sessionId === tickets[i].ticketId) {
          consoles[i].off('message', onMessage);
          resolve(performance.now() - sentAt);
        }
      };
      consoles[i].on('message', onMessage);
      consoles[i].send(JSON.stringify({ type: 'ticket.take', ticketId: tickets[i].ticketId }));
    }));
    await Promise.all(customers.map((c) => new Promise<void>((resolve) => {
      c.send(JSON.stringify({ type: 'consent.reply', allow: true }));
      setTimeout(resolve, 50);
    })));
    await new Promise((r) => setTimeout(r, 500));
    const ourPairs: Pair[] = customers.map((customer, i) =>
      makePair(customer, consoles[i], (raw) => {
        const frame = JSON.parse(raw);
        return frame.type === 'signal' ? frame.data.t : null;
      }),
    );
    const bareSockets = await inBatches(opts.pairs * 2, 50, (i) => open(`${wsBare}?pair=p${Math.floor(i / 2)}`));
    const barePairs: Pair[] = Array.from({ length: opts.pairs }, (_, i) =>
      makePair(bareSockets[2 * i], bareSockets[2 * i + 1], (raw) => JSON.parse(raw).data.t),
    );
    // The same ICE-candidate-sized frame through both relays, alternating rounds; medians reported.
    const frame = (t: string) => JSON.stringify({ type: 'signal', data: { type: 'candidate', t, candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host' } });
    const rounds: Array<{ ours: Awaited<ReturnType<typeof relay>>; bare: Awaited<ReturnType<typeof relay>> }> = [];
    for (let round = 0; round < opts.rounds; round++) {
      const oursRound = await relay(ourPairs, opts.seconds * 1000, 8, frame);
      const bareRound = await relay(barePairs, opts.seconds * 1000, 8, frame);
      rounds.push({ ours: oursRound, bare: bareRound });
    }
    const oursRelay = { perSecond: median(rounds.map((r) => r.ours.perSecond)), latencies: rounds.flatMap((r) => r.ours.latencies) };
    const bareRelay = { perSecond: median(rounds.map((r) => r.bare.perSecond)), latencies: rounds.flatMap((r) => r.bare.latencies) };
    [...customers, ...consoles, ...bareSockets].forEach((s) => s.terminate());

    const kb = (bytes: number) => `${fmt(bytes / 1024)} KB`;
    const rows: Row[] = [
      { benchmark: `idle memory per WebSocket, ${opts.idle} connections (RSS growth / connection)`, value: kb(memOurs), baseline: `${kb(memBare)} (bare ws)`, ratio: fmt(memOurs / memBare, 2), target: '< 30 KB', pass: memOurs < 30 * 1024 },
      { benchmark: `relayed signals/s, ${opts.pairs} session pairs, 8 in flight each (median of ${opts.rounds} rounds)`, value: fmt(oursRelay.perSecond, 0), baseline: `${fmt(bareRelay.perSecond, 0)} (bare ws relay)`, ratio: fmt(oursRelay.perSecond / bareRelay.perSecond, 2), target: '≥ 0.80', pass: oursRelay.perSecond / bareRelay.perSecond >= 0.8 },
      { benchmark: 'relay latency p50, ms', value: fmt(percentile(oursRelay.latencies, 50), 2), baseline: `${fmt(percentile(bareRelay.latencies, 50), 2)} (bare)`, ratio: fmt(percentile(oursRelay.latencies, 50) / percentile(bareRelay.latencies, 50), 2), target: '—' },
      { benchmark: 'relay latency p99, ms', value: fmt(percentile(oursRelay.latencies, 99), 2), baseline: `${fmt(percentile(bareRelay.latencies, 99), 2)} (bare)`, ratio: fmt(percentile(oursRelay.latencies, 99) / percentile(bareRelay.latencies, 99), 2), target: '—' },
      { benchmark: `tickets created per second (HTTP, 32 concurrent, ${opts.tickets} tickets)`, value: fmt(ticketsPerSecond, 0), baseline: '—', ratio: '—', target: '—' },
      { benchmark: `take latency (take → session.started), median over ${opts.pairs}, ms`, value: fmt(median(takeLatencies), 2), baseline: '—', ratio: '—', target: '—' },
      { benchmark: 'take latency p99, ms', value: fmt(percentile(takeLatencies, 99), 2), baseline: '—', ratio: '—', target: '—' },
    ];
    return {
      rows,
      notes: [
        'Each server runs alone in its own Node process (memory is its own RSS); the load generator is this process, on loopback.',
        'Our relay validates every frame against the protocol schema, checks membership and consent, rate-limits and stamps the sender; the bare relay forwards bytes.',
      ],
    };
  } finally {
    await ours.stop();
    await bare.stop();
  }
}
