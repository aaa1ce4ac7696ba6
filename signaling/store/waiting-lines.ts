import type { TicketRecord } from './ticket-store.js';
import { byQueueOrder } from './ticket-rules.js';
import { isWaiting } from '../session-machine.js';

/**
 * The waiting lines of a store's records, kept in order as records change, so that a position is
 * a binary search and a join at the end an append, instead of a filter and a sort of every record
 * (what each join and each take cost before: O(n log n) with n records, measured at 22 ms of
 * server CPU per join with 2,000 waiting; docs/benchmarks.md, queue). Both stores feed it every
 * change of their records (the memory store's own, the Redis store's replica).
 */
export class WaitingLines {
  private readonly lines = new Map<string, TicketRecord[]>();
  /** Waiting tickets per address (the per-address cap of routes/tickets.ts). */
  private readonly perOrigin = new Map<string, number>();

  /** One record changed: `before` as it was (undefined: new), `after` as it is (undefined: gone). */
  update(before: TicketRecord | undefined, after: TicketRecord | undefined): void {
    const wasWaiting = before !== undefined && isWaiting(before.state);
    const waiting = after !== undefined && isWaiting(after.state);
    if (wasWaiting && waiting && before.queue === after.queue) {
      // Still waiting in the same place (the order's keys never change): the newer record in its slot.
      const line = this.lines.get(after.queue)!;
      const index = this.find(line, before);
      if (index >= 0) line[index] = after;
      return;
    }
    if (wasWaiting) this.remove(before);
    if (waiting) this.insert(after);
  }

  /** The waiting tickets of `queue`, oldest first. Read only: the store's own array. */
  line(queue: string): readonly TicketRecord[] {
    return this.lines.get(queue) ?? [];
  }

  /** 1-based place of a ticket in its queue's line, 0 when not waiting. */
  position(ticket: TicketRecord | undefined): number {
    if (!ticket || !isWaiting(ticket.state)) return 0;
    const line = this.lines.get(ticket.queue);
    return line ? this.find(line, ticket) + 1 : 0;
  }

  /**
   * Where `ticket` stands or stood in its queue's line (0-based): the first index whose position a
   * join or a leave of `ticket` moves. Every ticket from there on may have a new position.
   */
  placeOf(ticket: TicketRecord): number {
    return lowerBound(this.lines.get(ticket.queue) ?? [], ticket);
  }

  /** How many tickets from `origin` wait, over every queue. */
  waitingFrom(origin: string): number {
    return this.perOrigin.get(origin) ?? 0;
  }

  private insert(ticket: TicketRecord): void {
    let line = this.lines.get(ticket.queue);
    if (!line) this.lines.set(ticket.queue, (line = []));
    const last = line[line.length - 1];
    // The usual join: the newest ticket, at the end.
    if (!last || order(last, ticket) < 0) line.push(ticket);
    else line.splice(lowerBound(line, ticket), 0, ticket);
    if (ticket.origin !== undefined) this.perOrigin.set(ticket.origin, (this.perOrigin.get(ticket.origin) ?? 0) + 1);
  }

  private remove(ticket: TicketRecord): void {
    const line = this.lines.get(ticket.queue);
    const index = line ? this.find(line, ticket) : -1;
    if (!line || index < 0) return;
    line.splice(index, 1);
    if (line.length === 0) this.lines.delete(ticket.queue);
    if (ticket.origin === undefined) return;
    const left = (this.perOrigin.get(ticket.origin) ?? 1) - 1;
    if (left > 0) this.perOrigin.set(ticket.origin, left);
    else this.perOrigin.delete(ticket.origin);
  }

  private find(line: readonly TicketRecord[], ticket: TicketRecord): number {
    const index = lowerBound(line, ticket);
    return line[index]?.id === ticket.id ? index : -1;
  }
}

/** The queue's order (oldest first), the id breaking a tie of two nodes' tickets made in the same millisecond with the same number. */
const order = (a: TicketRecord, b: TicketRecord): number => byQueueOrder(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The first index of `line` not before `ticket` in the queue's order. */
function lowerBound(line: readonly TicketRecord[], ticket: TicketRecord): number {
  let low = 0;
  let high = line.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order(line[middle], ticket) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
