import { checkTransferNote } from '../../../protocol/index.js';
import type { Handler } from './context.js';

/**
 * The session's analyst hands it over: to a queue, or to a colleague online in that queue. The
 * store decides (only the session's own analyst, only while it runs); the hub tells everyone.
 */
export const sessionTransfer: Handler<'session.transfer'> = async ({ conn, store, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || ticket.analyst?.connectionId !== conn.id) return conn.sendError('session.notActive', frame.type);
  if (!hub.queueExists(frame.queue)) return conn.sendError('queue.unknown', frame.type);
  const note = frame.note?.trim() ?? '';
  const badNote = checkTransferNote(note);
  if (badNote) return conn.sendError(badNote, frame.type);
  let reservedFor: { id: string; name: string } | undefined;
  if (frame.analystId !== undefined) {
    const colleague = hub.colleague(frame.analystId);
    if (!colleague || colleague.analystId === conn.analyst?.id || !colleague.queues.includes(frame.queue)) return conn.sendError('transfer.analystUnavailable', frame.type);
    reservedFor = { id: colleague.analystId, name: colleague.name };
  }
  const result = await store.transfer(ticket.id, conn.analyst?.id ?? '', { queue: frame.queue, note, ...(reservedFor ? { reservedFor } : {}) });
  if (!result.ok) conn.sendError(result.code, frame.type);
};
