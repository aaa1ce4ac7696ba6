import WebSocket from 'ws';
import { startRedis } from '../test/helpers/redis.js';
import { inBatches, login, open, startChild, type Child } from './load.js';
import { fmt, median, percentile, type Row } from './stats.js';

// A big queue on one node, then on three nodes sharing Redis: `waiting` customers with open
// sockets over `queues` queues, `consoles` analyst consoles; ticket creation rate, the time from a
// take to every customer behind hearing their new place, the server's CPU time and the frames per
// join and per take, memory per waiting customer. Next to a bare server sending the same frames
// (servers/queue-baseline.ts). The load generator is this process, on loopback.

interface Target {
  name: string;
  /** HTTP bases and WebSocket URLs of its nodes (customers and consoles are spread over them). */
  bases: string[];
  socketUrl(node: number, query: string): string;
  cookie: string;
  /** The second account's: its consoles take the burst (a new console of an account resumes that account's sessions). */
  burstCookie: string;
  children: Child[];
}

interface Customer {
  ticketId: string;
  queue: string;
  socket: WebSocket;
  /** The last position it was told, and when each position arrived. */
  position: number;
  heard: Map<number, number>;
}

const QUEUE_NAMES = (count: number) => Array.from({ length: count }, (_, i) => `q${i}`);

async function ours(queues: number, nodes: number, redisUrl?: string): Promise<Target> {
  const children = await Promise.all(Array.from({ length: nodes }, (_, i) =>
    startChild('./servers/relaydesk-node.ts', { BENCH_QUEUES: String(queues), ...(redisUrl ? { REDIS_URL: redisUrl, NODE_ID: `n${i}` } : {}) })));
  const bases = children.map((c) => `http://127.0.0.1:${c.port}`);
  const cookie = await login(bases[0]);
  const burstCookie = await login(bases[0], 'bench2');
  return { name: nodes > 1 ? `ours, ${nodes} nodes on Redis` : 'ours', bases, socketUrl: (node, query) => `ws://127.0.0.1:${children[node].port}/ws?${query}`, cookie, burstCookie, children };
}

async function baseline(): Promise<Target> {
  const child = await startChild('./servers/queue-baseline.ts');
  return { name: 'baseline', bases: [`http://127.0.0.1:${child.port}`], socketUrl: (_node, query) => `ws://127.0.0.1:${child.port}/?${query}`, cookie: '', burstCookie: '', children: [child] };
}

const cpuMs = async (target: Target) => (await Promise.all(target.children.map((c) => c.cpuMs()))).reduce((a, b) => a + b, 0);
/** The servers' memory after a full collection: the JS heap and what it holds outside (socket buffers, say). */
const memory = async (target: Target) => (await Promise.all(target.children.map((c) => c.memory()))).reduce((a, m) => a + m.heapUsed + m.external, 0);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts every frame any socket of the run receives. */
class FrameCounter {
  frames = 0;
  /** Of which to customers' sockets. */
  toCustomers = 0;
  watch(socket: WebSocket, customer = false): void {
    socket.on('message', () => {
      this.frames += 1;
      if (customer) this.toCustomers += 1;
    });
  }
}

async function createTicket(target: Target, i: number, queue: string): Promise<{ ticketId: string; token: string }> {
  const res = await fetch(`${target.bases[i % target.bases.length]}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queue, name: `Customer ${i}`, email: `c${i}@example.com`, phone: '0123456789' }),
  });
  if (res.status !== 201) throw new Error(`ticket ${i}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { ticketId: string; token: string };
}

/** Opens a customer's socket and waits for its first place. */
function connectCustomer(target: Target, counter: FrameCounter, node: number, ticket: { ticketId: string; token: string }, queue: string): Promise<Customer> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(target.socketUrl(node, `token=${ticket.token}`), { perMessageDeflate: false });
    const customer: Customer = { ticketId: ticket.ticketId, queue, socket, position: -1, heard: new Map() };
    counter.watch(socket, true);
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { type: string; position?: number; state?: string };
      if (frame.type !== 'ticket.status' || frame.position === undefined) return;
      customer.position = frame.position;
      if (!customer.heard.has(frame.position)) customer.heard.set(frame.position, performance.now());
      if (customer.heard.size === 1) resolve(customer);
    });
    socket.once('error', reject);
  });
}

/** The customers of each queue, in the order of the places they were told. */
function linesOf(customers: Customer[]): Map<string, Customer[]> {
  const lines = new Map<string, Customer[]>();
  for (const c of customers) {
    if (!lines.has(c.queue)) lines.set(c.queue, []);
    lines.get(c.queue)!.push(c);
  }
  for (const line of lines.values()) line.sort((a, b) => a.position - b.position);
  return lines;
}

/**
 * Takes the head of each named queue at once (several from a queue named more than once), each
 * take by the next of `consoles` (a console has one session at a time); returns, for every
 * customer behind, the ms until it heard its new place.
 */
async function takeHeads(lines: Map<string, Customer[]>, consoles: WebSocket[], queues: string[], timeoutMs = 30_000): Promise<{ latencies: number[]; missing: number }> {
  const takenPerQueue = new Map<string, number>();
  for (const q of queues) takenPerQueue.set(q, (takenPerQueue.get(q) ?? 0) + 1);
  const startedAt = performance.now();
  let next = 0;
  const expected: Array<{ customer: Customer; position: number }> = [];
  for (const [queue, taken] of takenPerQueue) {
    const line = lines.get(queue)!;
    for (const head of line.splice(0, taken)) consoles[next++].send(JSON.stringify({ type: 'ticket.take', ticketId: head.ticketId }));
    line.forEach((customer, index) => expected.push({ customer, position: index + 1 }));
  }
  // Places only go down: the new one was never heard before this take.
  const heard = ({ customer, position }: { customer: Customer; position: number }) => customer.heard.get(position);
  while (expected.some((e) => heard(e) === undefined) && performance.now() - startedAt < timeoutMs) await settle(5);
  const latencies = expected.map(heard).filter((at): at is number => at !== undefined).map((at) => at - startedAt);
  return { latencies, missing: expected.length - latencies.length };
}

interface RunResult {
  ticketsPerSecond: number;
  memoryPerCustomerKb: number;
  joinCpuMs: number;
  joinFrames: number;
  joinCustomerFrames: number;
  leaveCpuMs: number;
  leaveFrames: number;
  leaveCustomerFrames: number;
  /** Customers behind each take, on average (each should hear one frame). */
  behindPerTake: number;
  takeLatencies: number[];
  burstLatencies: number[];
  missing: number;
}

async function run(target: Target, opts: { waiting: number; queues: number; consoles: number; joins: number; rounds: number }): Promise<RunResult> {
  if (opts.rounds * opts.queues > opts.consoles) throw new Error('queue bench: rounds × queues takes need as many consoles');
  const queues = QUEUE_NAMES(opts.queues);
  const counter = new FrameCounter();
  const nodes = target.bases.length;
  const consoles = await inBatches(opts.consoles, 50, async (i) => {
    const socket = await open(target.socketUrl(i % nodes, target.cookie ? '' : 'console=1'), target.cookie ? { cookie: target.cookie } : {});
    counter.watch(socket);
    return socket;
  });
  await settle(300);
  const memoryBefore = await memory(target);

  // 1. Tickets over HTTP, 64 at a time.
  const created = performance.now();
  const tickets = await inBatches(opts.waiting, 64, (i) => createTicket(target, i, queues[i % queues.length]));
  const ticketsPerSecond = opts.waiting / ((performance.now() - created) / 1000);

  // 2. Every customer's socket, each told its place.
  const customers = await inBatches(opts.waiting, 250, (i) => connectCustomer(target, counter, i % nodes, tickets[i], queues[i % queues.length]));
  await settle(1000);
  const memoryPerCustomerKb = ((await memory(target)) - memoryBefore) / opts.waiting / 1024;

  // 3. Joins at the end of long lines: CPU and frames each.
  let cpu = await cpuMs(target);
  let frames = counter.frames;
  let toCustomers = counter.toCustomers;
  const joined = await inBatches(opts.joins, 25, async (j) => {
    const i = opts.waiting + j;
    const ticket = await createTicket(target, i, queues[i % queues.length]);
    return connectCustomer(target, counter, i % nodes, ticket, queues[i % queues.length]);
  });
  await settle(1000);
  const joinCpuMs = ((await cpuMs(target)) - cpu) / opts.joins;
  const joinFrames = (counter.frames - frames) / opts.joins;
  const joinCustomerFrames = (counter.toCustomers - toCustomers) / opts.joins;
  const lines = linesOf([...customers, ...joined]);

  // 4. Takes at the head: each round one per queue at once, the next as soon as everyone heard.
  cpu = await cpuMs(target);
  frames = counter.frames;
  toCustomers = counter.toCustomers;
  const takeLatencies: number[] = [];
  let missing = 0;
  let behind = 0;
  for (let round = 0; round < opts.rounds; round++) {
    const result = await takeHeads(lines, consoles.slice(round * queues.length), queues);
    takeLatencies.push(...result.latencies);
    missing += result.missing;
    behind += result.latencies.length + result.missing;
  }
  await settle(500);
  const leaves = opts.rounds * queues.length;
  const leaveCpuMs = ((await cpuMs(target)) - cpu) / leaves;
  const leaveFrames = (counter.frames - frames) / leaves;
  const leaveCustomerFrames = (counter.toCustomers - toCustomers) / leaves;
  const behindPerTake = behind / leaves;

  // 5. A burst: as many consoles again, of another account (each of the first took a session), all taking at once.
  const fresh = await inBatches(opts.consoles, 50, (i) => open(target.socketUrl(i % nodes, target.burstCookie ? '' : 'console=1'), target.burstCookie ? { cookie: target.burstCookie } : {}));
  await settle(300);
  const burst = await takeHeads(lines, fresh, Array.from({ length: opts.consoles }, (_, i) => queues[i % queues.length]));
  missing += burst.missing;

  for (const socket of [...consoles, ...fresh, ...customers.map((c) => c.socket), ...joined.map((c) => c.socket)]) socket.terminate();
  return { ticketsPerSecond, memoryPerCustomerKb, joinCpuMs, joinFrames, joinCustomerFrames, leaveCpuMs, leaveFrames, leaveCustomerFrames, behindPerTake, takeLatencies, burstLatencies: burst.latencies, missing };
}

export async function queueBench(opts: { waiting: number; queues: number; consoles: number; joins: number; rounds: number; nodes: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const results: Array<{ target: string; result: RunResult }> = [];
  const measure = async (make: () => Promise<Target>) => {
    const target = await make();
    try {
      results.push({ target: target.name, result: await run(target, opts) });
    } finally {
      await Promise.all(target.children.map((c) => c.stop()));
    }
  };
  await measure(baseline);
  await measure(() => ours(opts.queues, 1));
  const redis = opts.nodes > 1 ? await startRedis() : null;
  try {
    if (redis) await measure(() => ours(opts.queues, opts.nodes, redis.url));
  } finally {
    await redis?.stop();
  }
  const [base, one, many] = [results[0].result, results[1].result, results[2]?.result];
  const perSide = opts.waiting / opts.queues;
  const ratio = (a: number, b: number) => fmt(a / b, 2);
  const rows: Row[] = [
    { benchmark: `tickets created per second (HTTP, 64 at a time, ${opts.waiting} tickets)`, value: fmt(one.ticketsPerSecond, 0), baseline: `${fmt(base.ticketsPerSecond, 0)} (bare server)`, ratio: ratio(one.ticketsPerSecond, base.ticketsPerSecond), target: '≥ 1,000 /s', pass: one.ticketsPerSecond >= 1000 },
    { benchmark: `take → every customer behind told the new place, p50, ms (${opts.rounds} rounds of ${opts.queues} takes, ~${fmt(perSide, 0)} waiting per queue)`, value: fmt(percentile(one.takeLatencies, 50), 0), baseline: `${fmt(percentile(base.takeLatencies, 50), 0)} (bare)`, ratio: ratio(percentile(one.takeLatencies, 50), percentile(base.takeLatencies, 50)), target: '—' },
    { benchmark: 'take → new place, p99, ms', value: fmt(percentile(one.takeLatencies, 99), 0), baseline: `${fmt(percentile(base.takeLatencies, 99), 0)} (bare)`, ratio: ratio(percentile(one.takeLatencies, 99), percentile(base.takeLatencies, 99)), target: '< 1,000 ms', pass: percentile(one.takeLatencies, 99) < 1000 && one.missing === 0 },
    { benchmark: `burst: all ${opts.consoles} consoles take at once → new place, p99, ms`, value: fmt(percentile(one.burstLatencies, 99), 0), baseline: `${fmt(percentile(base.burstLatencies, 99), 0)} (bare)`, ratio: ratio(percentile(one.burstLatencies, 99), percentile(base.burstLatencies, 99)), target: '< 1,000 ms', pass: percentile(one.burstLatencies, 99) < 1000 },
    { benchmark: `server CPU per join at the end of the line (${opts.joins} joins: ticket and socket), ms`, value: fmt(one.joinCpuMs, 2), baseline: `${fmt(base.joinCpuMs, 2)} (bare)`, ratio: ratio(one.joinCpuMs, base.joinCpuMs), target: '—' },
    { benchmark: 'frames per join to the other waiting customers', value: fmt(one.joinCustomerFrames - 1, 2), baseline: `${fmt(base.joinCustomerFrames - 1, 2)} (bare)`, ratio: '—', target: '0 (the joiner alone is told)', pass: one.joinCustomerFrames - 1 < 0.01 },
    { benchmark: `frames per join to the ${opts.consoles} consoles`, value: fmt(one.joinFrames - one.joinCustomerFrames, 1), baseline: `${fmt(base.joinFrames - base.joinCustomerFrames, 1)} (bare: one each)`, ratio: ratio(one.joinFrames - one.joinCustomerFrames, base.joinFrames - base.joinCustomerFrames), target: `≤ ${opts.consoles} (one each, batched)`, pass: one.joinFrames - one.joinCustomerFrames <= opts.consoles },
    { benchmark: 'server CPU per take at the head of the line, ms', value: fmt(one.leaveCpuMs, 2), baseline: `${fmt(base.leaveCpuMs, 2)} (bare)`, ratio: ratio(one.leaveCpuMs, base.leaveCpuMs), target: '—' },
    { benchmark: `frames per take to customers (${fmt(one.behindPerTake, 1)} behind on average)`, value: fmt(one.leaveCustomerFrames, 1), baseline: `${fmt(base.leaveCustomerFrames, 1)} (bare)`, ratio: ratio(one.leaveCustomerFrames, base.leaveCustomerFrames), target: 'one per customer behind, + 2 to the one taken (its state, the session\'s presence)', pass: one.leaveCustomerFrames <= one.behindPerTake + 2.01 },
    { benchmark: 'memory per waiting customer (server heap + external growth / customer), KB', value: fmt(one.memoryPerCustomerKb, 1), baseline: `${fmt(base.memoryPerCustomerKb, 1)} (bare)`, ratio: ratio(one.memoryPerCustomerKb, base.memoryPerCustomerKb), target: '—' },
  ];
  if (many) {
    rows.push(
      { benchmark: `${opts.nodes} nodes on Redis: tickets created per second (spread over the nodes)`, value: fmt(many.ticketsPerSecond, 0), baseline: `${fmt(one.ticketsPerSecond, 0)} (one node)`, ratio: ratio(many.ticketsPerSecond, one.ticketsPerSecond), target: '—' },
      { benchmark: `${opts.nodes} nodes: take → new place, p50 / p99, ms`, value: `${fmt(percentile(many.takeLatencies, 50), 0)} / ${fmt(percentile(many.takeLatencies, 99), 0)}`, baseline: `${fmt(percentile(one.takeLatencies, 50), 0)} / ${fmt(percentile(one.takeLatencies, 99), 0)} (one node)`, ratio: ratio(percentile(many.takeLatencies, 99), percentile(one.takeLatencies, 99)), target: 'p99 < 1,000 ms', pass: percentile(many.takeLatencies, 99) < 1000 && many.missing === 0 },
      { benchmark: `${opts.nodes} nodes: burst of ${opts.consoles} takes → new place, p99, ms`, value: fmt(percentile(many.burstLatencies, 99), 0), baseline: `${fmt(percentile(one.burstLatencies, 99), 0)} (one node)`, ratio: ratio(percentile(many.burstLatencies, 99), percentile(one.burstLatencies, 99)), target: '< 1,000 ms', pass: percentile(many.burstLatencies, 99) < 1000 },
      { benchmark: `${opts.nodes} nodes: CPU per join / per take, all nodes, ms`, value: `${fmt(many.joinCpuMs, 2)} / ${fmt(many.leaveCpuMs, 2)}`, baseline: `${fmt(one.joinCpuMs, 2)} / ${fmt(one.leaveCpuMs, 2)} (one node)`, ratio: ratio(many.leaveCpuMs, one.leaveCpuMs), target: '—' },
      { benchmark: `${opts.nodes} nodes: memory per waiting customer, all nodes, KB`, value: fmt(many.memoryPerCustomerKb, 1), baseline: `${fmt(one.memoryPerCustomerKb, 1)} (one node)`, ratio: ratio(many.memoryPerCustomerKb, one.memoryPerCustomerKb), target: '—' },
    );
  }
  const missing = results.map(({ target, result }) => `${target} ${result.missing}`).join(', ');
  return {
    rows,
    notes: [
      `${opts.waiting} waiting customers with open sockets over ${opts.queues} queues, ${opts.consoles} analyst consoles (one account) watching every queue; then ${opts.joins} more joins, ${opts.rounds} rounds of one take per queue (the next round as soon as everyone behind heard), and a burst where every console takes at once. Places never heard within 30 s: ${missing}.`,
      `Medians: take → new place p50 ${results.map(({ target, result }) => `${target} ${fmt(median(result.takeLatencies), 0)} ms`).join(', ')}.`,
      'Reading the figures: a customer waiting behind others sees their place move within the take latency; CPU per join is what each new customer costs the node (it no longer grows with the line: one frame to the joiner and one per console, and a binary search for the place); a take costs one frame per customer behind, and in a long line a burst of takes makes one pass (at most every 250 ms per queue). The load generator shares the 2 cores with the servers: on real hardware the clients are elsewhere.',
    ],
  };
}
