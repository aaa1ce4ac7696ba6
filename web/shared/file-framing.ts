// Framing of files on the file data channel. Pure functions, no DOM: unit-tested in Node.
//
// The channel is ordered and a sender sends one file at a time, so a file's bytes need no header:
// a text message `begin <handle>` says which transfer the binary messages after it belong to, and
// each binary message is nothing but file bytes. Sending a view of the file's own buffer then costs
// no copy and no allocation on the page (a 4-byte header per chunk meant a fresh 64 KiB buffer per
// chunk, which measured ~0.2 s of CPU per 200 MB, docs/benchmarks.md).

/**
 * Chunk size. Chromium accepts data-channel messages up to 256 KiB; 64 KiB measured best on
 * loopback among 16/64/256 KiB in `npm run bench` (docs/benchmarks.md), and keeps one chunk's
 * share of the SCTP send queue small so chat and input messages on other channels interleave.
 */
export const CHUNK_BYTES = 64 * 1024;

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
export function* chunkRanges(size: number, chunkBytes = CHUNK_BYTES): Generator<[number, number]> {
  for (let start = 0; start < size; start += chunkBytes) yield [start, Math.min(size, start + chunkBytes)];
}
