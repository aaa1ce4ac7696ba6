import fc from 'fast-check';
import type { Test } from 'tap';
import type { SessionState } from '../../protocol/index.js';
import { ManualClock } from '../../signaling/clock.js';
import { isEnded, isInSession, isWaiting, nextState, type SessionEvent } from '../../signaling/session-machine.js';
import { byQueueOrder, dueToEnd } from '../../signaling/store/ticket-rules.js';
import type { TicketRecord, TicketStore } from '../../signaling/store/ticket-store.js';

const QUEUES = ['general', 'printers'] as const;
const EVENTS: SessionEvent[] = ['take', 'allow', 'refuse', 'shareStart', 'shareStop', 'end'];
const LIMITS = { customer: 60_000, link: 600_000, member: 20_000, closed: 8_000, maxWait: 3_600_000 };

/** One step of a random history. `ticket` picks among the tickets made so far (modulo their count); `node` which view does it. */
type Op =
  | { op: 'create'; queue: (typeof QUEUES)[number]; byAnalyst: boolean }
  | { op: 'presence'; ticket: number; node: number; online: boolean; closed: boolean }
  | { op: 'take'; ticket: number; node: number }
  | { op: 'takeOnBoth'; ticket: number }
  | { op: 'apply'; ticket: number; node: number; event: SessionEvent }
  | { op: 'analystAway'; ticket: number; node: number; away: boolean; closed: boolean }
  | { op: 'advance'; ms: number }
  | { op: 'expire'; node: number };

const ticketIndex = fc.nat({ max: 20 });
const node = fc.nat({ max: 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('create' as const), queue: fc.constantFrom(...QUEUES), byAnalyst: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('presence' as const), ticket: ticketIndex, node, online: fc.boolean(), closed: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('take' as const), ticket: ticketIndex, node }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('takeOnBoth' as const), ticket: ticketIndex }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('apply' as const), ticket: ticketIndex, node, event: fc.constantFrom(...EVENTS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('analystAway' as const), ticket: ticketIndex, node, away: fc.boolean(), closed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 15_000, 30_000, 120_000, 700_000, 3_600_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const), node }) },
);

export interface StoreNodes {
  /** Two views of one store: two nodes on one Redis, or the same memory store twice. */
  nodes: [TicketStore, TicketStore];
  /** Resolves once both views agree (Redis events travel); at once in memory. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const reachable = (from: SessionState, to: SessionState) => EVENTS.some((event) => nextState(from, event) === to);

/**
 * Properties every TicketStore keeps over random histories (fast-check: a failure is shrunk to
 * the shortest history that breaks it, and printed with its seed to replay). After every step,
 * on both views: the lines are in order and positions count from 1; only sessions have an
 * analyst; an ended ticket never comes back; every change a listener hears is a transition of
 * the state machine with a higher version; each operation succeeds exactly when the rules say;
 * two analysts taking one ticket at once on two nodes: one wins; after an expiry sweep no ticket
 * is left that the rules say is due to end.
 */
export function storeProperties(t: Test, make: (clock: ManualClock) => Promise<StoreNodes>, runs: { numRuns: number; maxSteps: number }): void {
  t.test('random histories keep the store\'s invariants (fast-check)', async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: runs.maxSteps }), async (ops) => {
        const clock = new ManualClock(1_000_000);
        const { nodes, settle, close } = await make(clock);
        const problems: string[] = [];
        const ended = new Set<string>();
        const versions = new Map<string, number>();
        const unsubscribe = nodes[0].subscribe((ticket, previous) => {
          const last = versions.get(ticket.id) ?? 0;
          if (ticket.version <= last) problems.push(`${ticket.id}: version ${ticket.version} after ${last}`);
          versions.set(ticket.id, ticket.version);
          if (previous !== null && previous !== ticket.state && !reachable(previous, ticket.state)) problems.push(`${previous} -> ${ticket.state} is no transition`);
          if (ended.has(ticket.id)) problems.push(`${ticket.id} changed after it ended`);
          if (isEnded(ticket.state)) ended.add(ticket.id);
        });
        const ids: string[] = [];
        const pick = (i: number) => (ids.length ? ids[i % ids.length] : 'none');
        try {
          for (const step of ops) {
            await run(step);
            await settle();
            for (const [n, store] of nodes.entries()) check(store, `after ${JSON.stringify(step)} on node ${n}`);
            if (problems.length) break;
          }
        } finally {
          unsubscribe();
          await close();
        }
        if (problems.length) throw new Error(problems.join('\n'));

        async function run(step: Op): Promise<void> {
          switch (step.op) {
            case 'create': {
              const ticket = await nodes[0].create({ queue: step.queue, customer: { name: 'N', email: 'n@example.com', phone: '0123456789' }, createdBy: step.byAnalyst ? 'analyst' : 'customer' });
              ids.push(ticket.id);
              return;
            }
            case 'presence': {
              const id = pick(step.ticket);
              const before = nodes[step.node].get(id);
              const result = await nodes[step.node].setPresence(id, { customerConnection: step.online ? `n.c-${id}` : null, closed: step.closed });
              if (result.ok !== (before !== undefined)) problems.push(`presence for a ${before?.state ?? 'missing'} ticket gave ${result.ok ? 'ok' : result.code}`);
              return;
            }
            case 'take': {
              const id = pick(step.ticket);
              const before = nodes[step.node].get(id);
              const result = await nodes[step.node].take(id, { id: 'alice', name: 'Alice', connectionId: 'n.alice' });
              const expected = before !== undefined && isWaiting(before.state) && before.customerOnline;
              if (result.ok !== expected) problems.push(`take of ${before?.state ?? 'missing'} (online ${before?.customerOnline}) gave ${JSON.stringify(result.ok ? 'ok' : result.code)}`);
              return;
            }
            case 'takeOnBoth': {
              const id = pick(step.ticket);
              const before = nodes[0].get(id);
              const results = await Promise.all(nodes.map((store, n) => store.take(id, { id: `analyst${n}`, name: `A${n}`, connectionId: `n.a${n}` })));
              const wins = results.filter((r) => r.ok).length;
              const expected = before !== undefined && isWaiting(before.state) && before.customerOnline ? 1 : 0;
              if (wins !== expected) problems.push(`two takes at once of ${before?.state ?? 'missing'}: ${wins} winners`);
              return;
            }
            case 'apply': {
              const id = pick(step.ticket);
              const before = nodes[step.node].get(id);
              if (step.event === 'take') return; // take() has its own rules (an analyst, the customer online)
              const result = await nodes[step.node].apply(id, step.event, 'cancelled');
              const expected = before !== undefined && nextState(before.state, step.event) !== null;
              if (result.ok !== expected) problems.push(`${step.event} in ${before?.state ?? 'missing'} gave ${result.ok ? 'ok' : result.code}`);
              return;
            }
            case 'analystAway': {
              const id = pick(step.ticket);
              await nodes[step.node].setPresence(id, { analystConnection: step.away ? null : 'n.alice', closed: step.closed });
              return;
            }
            case 'advance':
              clock.advance(step.ms);
              return;
            case 'expire': {
              await nodes[step.node].expireOffline(LIMITS);
              await settle();
              for (const ticket of nodes[step.node].all()) {
                const due = dueToEnd(ticket, clock.now(), LIMITS);
                if (due) problems.push(`${ticket.state} ticket due to end (${due}) outlived the sweep`);
              }
              return;
            }
          }
        }

        function check(store: TicketStore, where: string): void {
          for (const queue of QUEUES) {
            const line = store.waitingIn(queue);
            line.forEach((ticket, index) => {
              if (ticket.queue !== queue || !isWaiting(ticket.state)) problems.push(`${where}: ${ticket.state} ticket in the ${queue} line`);
              if (store.position(ticket.id) !== index + 1) problems.push(`${where}: position ${store.position(ticket.id)} at place ${index + 1}`);
              if (index > 0 && byQueueOrder(line[index - 1], ticket) >= 0) problems.push(`${where}: the line is out of order`);
            });
          }
          for (const ticket of store.all() as TicketRecord[]) {
            if (isEnded(ticket.state)) problems.push(`${where}: an ended ticket is still listed`);
            if (ended.has(ticket.id)) problems.push(`${where}: ${ticket.id} came back after it ended`);
            if (isInSession(ticket.state) !== (ticket.analyst !== undefined)) problems.push(`${where}: ${ticket.state} with${ticket.analyst ? '' : 'out'} an analyst`);
            if (ticket.customerOnline !== (ticket.customerConnection !== null)) problems.push(`${where}: online ${ticket.customerOnline} with connection ${ticket.customerConnection}`);
            if (ticket.customerClosed && ticket.customerConnection !== null) problems.push(`${where}: closed while connected`);
            if (ticket.analyst?.closed && ticket.analyst.connectionId !== null) problems.push(`${where}: the analyst closed while connected`);
            if (!isWaiting(ticket.state) && store.position(ticket.id) !== 0) problems.push(`${where}: a ${ticket.state} ticket has a position`);
          }
          for (const id of ended) if (store.get(id) !== undefined) problems.push(`${where}: get() still finds ended ${id}`);
        }
      }),
      { numRuns: runs.numRuns, endOnFailure: false },
    );
    t.pass(`${runs.numRuns} random histories of up to ${runs.maxSteps} steps on two views`);
  });
}
