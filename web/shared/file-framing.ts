// Binary framing of file chunks on the file data channel: a 4-byte big-endian transfer handle,
// then the bytes. Pure functions, no DOM: unit-tested in Node.

export const HEADER_BYTES = 4;

/**
 * Chunk payload size. Chromium accepts data-channel messages up to 256 KiB; 64 KiB measured best
 * on loopback among 16/64/256 KiB in `npm run bench` (docs/benchmarks.md), and keeps one chunk's
 * share of the SCTP send queue small so chat and input messages on other channels interleave.
 */
export const CHUNK_BYTES = 64 * 1024;

export function encodeChunk(handle: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(handle) || handle < 1 || handle > 0xffffffff) throw new RangeError(`bad transfer handle ${handle}`);
  const frame = new Uint8Array(HEADER_BYTES + payload.byteLength);
  new DataView(frame.buffer).setUint32(0, handle, false);
  frame.set(payload, HEADER_BYTES);
  return frame;
}

export function decodeChunk(frame: ArrayBuffer | Uint8Array): { handle: number; payload: Uint8Array } | null {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < HEADER_BYTES) return null;
  const handle = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (handle === 0) return null;
  return { handle, payload: bytes.subarray(HEADER_BYTES) };
}

/** The [start, end) byte ranges a file of `size` bytes is cut into. */
export function* chunkRanges(size: number, chunkBytes = CHUNK_BYTES): Generator<[number, number]> {
  for (let start = 0; start < size; start += chunkBytes) yield [start, Math.min(size, start + chunkBytes)];
}
