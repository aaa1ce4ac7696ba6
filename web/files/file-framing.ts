// Framing of files on the file data channel. Pure functions, no DOM: unit-tested in Node.
//
// The channel is ordered and a sender sends one file at a time, so a file's bytes need no header:
// a text message `begin <handle>` says which transfer the binary messages after it belong to, and
// each binary message is nothing but file bytes. Sending a view of the file's own buffer then costs
// no copy and no allocation on the page (a 4-byte header per chunk meant a fresh buffer per chunk,
// a measurable share of the page's CPU: docs/benchmarks.md).

/**
 * Chunk size on the session connection's own file channel, the route files take until the file
 * link is open (or after it failed). All channels of a connection share one SCTP association, which
 * sends a message's fragments back to back: a control or input message can wait behind one whole
 * chunk, so it stays small there.
 */
export const SESSION_CHUNK_BYTES = 64 * 1024;

/**
 * Chunk size on the file connection (file-connection.ts), a connection that carries nothing else, so a long
 * message delays no control or input message there: one block (file-blocks.ts), sent as a view of
 * the block's own buffer. Chromium and
 * Safari accept messages up to 256 KiB, Firefox more.
 */
export const FILE_CONNECTION_CHUNK_BYTES = 128 * 1024;

/**
 * The chunk size for the file connection, given the largest message the other side accepts
 * (`RTCSctpTransport.maxMessageSize`): FILE_CONNECTION_CHUNK_BYTES when it allows, else the largest power of
 * two it allows (a send above it would fail), never under 1 KiB. A browser that does not say gets
 * SESSION_CHUNK_BYTES, which every current browser accepts.
 */
export function fileConnectionChunkBytes(maxMessageSize: number | null | undefined): number {
  if (typeof maxMessageSize !== 'number' || Number.isNaN(maxMessageSize) || maxMessageSize <= 0) return SESSION_CHUNK_BYTES;
  if (maxMessageSize >= FILE_CONNECTION_CHUNK_BYTES) return FILE_CONNECTION_CHUNK_BYTES;
  return Math.max(1024, 2 ** Math.floor(Math.log2(maxMessageSize)));
}

const BEGIN = /^begin ([1-9][0-9]{0,9})$/;

/** The text message that starts a file's bytes on the file channel. */
export function beginFrame(handle: number): string {
  if (!Number.isInteger(handle) || handle < 1 || handle > 0xffffffff) throw new RangeError(`bad transfer handle ${handle}`);
  return `begin ${handle}`;
}

/** The handle a `begin` message announces, or null for anything else. */
export function parseBeginFrame(text: unknown): number | null {
  if (typeof text !== 'string' || text.length > 16) return null;
  const match = BEGIN.exec(text);
  const handle = match ? Number(match[1]) : 0;
  return handle >= 1 && handle <= 0xffffffff ? handle : null;
}

/** The [start, end) byte ranges a file of `size` bytes is cut into. */
export function* chunkRanges(size: number, chunkBytes: number): Generator<[number, number]> {
  for (let start = 0; start < size; start += chunkBytes) yield [start, Math.min(size, start + chunkBytes)];
}
