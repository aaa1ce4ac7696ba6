import type { QueueChange, TicketSummary } from '../../protocol/index.js';

/** The queue's tickets after `changes` (server order): an upsert replaces or adds, a removal takes out. */
export function applyQueueChanges(list: TicketSummary[], changes: readonly QueueChange[]): TicketSummary[] {
  const byId = new Map(list.map((ticket) => [ticket.id, ticket]));
  for (const change of changes) {
    if ('upserted' in change) {
      byId.delete(change.upserted.id);
      byId.set(change.upserted.id, change.upserted);
    } else byId.delete(change.removed);
  }
  return [...byId.values()];
}
