// Files are read, hashed and written to disk in blocks aligned on the same file offsets on both
// sides; on the wire a block is one message on the file connection, or two on the session connection
// (file-framing.ts). No DOM: unit-tested in Node.
//
// Why blocks, and why each side reuses one block buffer: a BYOB stream reader into one reused
// buffer, and WebCrypto's SHA-256 over whole blocks, cost the page several times less CPU than
// fresh buffers or chunk-by-chunk hashing (figures: docs/benchmarks.md, "Figures behind the code").
// Fresh buffers cost more than the copying itself: zero-filling, page faults and garbage collection.

/**
 * Block size for reading, hashing and disk writes. Both sides must agree: it defines the file
 * digest. Why 128 KiB: each block is a burst of CPU on a page (read, SHA-256, copy, write), and
 * while a burst holds a core, the network threads of both browsers wait for it; their UDP sockets
 * hold only milliseconds of traffic, so datagrams drop and SCTP slows down. Larger blocks lose
 * throughput that way, smaller ones cost too many messages and wake-ups per MB (control round
 * trips over their target); the block-size table is in docs/benchmarks.md.
 */
export const BLOCK_BYTES = 128 * 1024;

/** The [start, end) byte range of block `index` of a file of `size` bytes. */
export function blockSpan(size: number, index: number, blockBytes = BLOCK_BYTES): [number, number] {
  const start = index * blockBytes;
  return [start, Math.min(size, start + blockBytes)];
}

/**
 * Reads a Blob (a picked File) as consecutive blocks of `blockBytes` (the last one shorter),
 * through one stream. Each block is a view of one reused buffer: it is valid until the loop asks
 * for the next block, so consume it (hash, send: both copy) before then. Leaving the loop early
 * cancels the read.
 */
export async function* readBlocks(file: Blob, blockBytes = BLOCK_BYTES): AsyncGenerator<Uint8Array> {
  const stream = file.stream();
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream in this browser: the ordinary reader below, one copy more.
  }
  const reader = byob ?? stream.getReader();
  const fill = byob ? fillByob(byob) : fillCopying(reader as ReadableStreamDefaultReader<Uint8Array>);
  let buffer: ArrayBuffer = new ArrayBuffer(Math.min(blockBytes, file.size));
  try {
    for (let index = 0; ; index++) {
      const [start, end] = blockSpan(file.size, index, blockBytes);
      if (start >= file.size) return;
      const filled = await fill(new Uint8Array(buffer, 0, end - start));
      if (filled.byteLength < end - start) throw new Error(`file ended after ${start + filled.byteLength} of ${file.size} bytes (changed on disk?)`);
      buffer = filled.buffer as ArrayBuffer; // a BYOB read hands the buffer back under a new identity
      yield filled;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Fills `view` from a BYOB reader; returns the filled view (shorter only at the end of the stream). */
function fillByob(reader: ReadableStreamBYOBReader) {
  return async (view: Uint8Array): Promise<Uint8Array> => {
    let buffer = view.buffer as ArrayBuffer;
    const { byteLength } = view;
    let filled = 0;
    while (filled < byteLength) {
      const { done, value } = await reader.read(new Uint8Array(buffer, filled, byteLength - filled));
      if (!value) throw new Error('the file read was cancelled');
      buffer = value.buffer as ArrayBuffer;
      if (done) break;
      filled += value.byteLength;
    }
    return new Uint8Array(buffer, 0, filled);
  };
}

/** The same for an ordinary reader, copying; bytes beyond the view wait for the next call. */
function fillCopying(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let rest: Uint8Array = new Uint8Array(0);
  return async (view: Uint8Array): Promise<Uint8Array> => {
    let filled = 0;
    while (filled < view.byteLength) {
      if (rest.byteLength === 0) {
        const { done, value } = await reader.read();
        if (done) break;
        rest = value;
      }
      const take = Math.min(view.byteLength - filled, rest.byteLength);
      view.set(rest.subarray(0, take), filled);
      rest = rest.subarray(take);
      filled += take;
    }
    return view.subarray(0, filled);
  };
}

/**
 * The receiving side's mirror of readBlocks(): takes chunk payloads in order and hands out the
 * same blocks, the last one as soon as the file's final byte arrives. By default each block is a
 * view of one reused buffer, valid only during the onBlock call; with `takeBuffer`, each block is
 * cut from a buffer it supplies (a pool), and onBlock may keep or transfer it.
 */
export class BlockAssembler {
  private index = 0;
  private readonly ownBuffer: ArrayBuffer | null;
  private block: Uint8Array;
  private filled = 0;
  private received = 0;

  constructor(
    private readonly size: number,
    private readonly onBlock: (block: Uint8Array) => void,
    private readonly blockBytes = BLOCK_BYTES,
    /** Supplies a buffer of at least blockBytes for each block. */
    private readonly takeBuffer: (() => ArrayBuffer) | null = null,
  ) {
    this.ownBuffer = takeBuffer ? null : new ArrayBuffer(Math.min(blockBytes, size));
    this.block = this.nextBlock();
  }

  /** Bytes taken so far. */
  get bytes(): number {
    return this.received;
  }

  /** Copies `payload` in; throws (changing nothing) if it would run past the announced size. */
  push(payload: Uint8Array): void {
    if (this.received + payload.byteLength > this.size) {
      throw new RangeError(`${this.received + payload.byteLength} bytes is more than the announced ${this.size}`);
    }
    this.received += payload.byteLength;
    for (let at = 0; at < payload.byteLength; ) {
      const take = Math.min(this.block.byteLength - this.filled, payload.byteLength - at);
      this.block.set(payload.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === this.block.byteLength) {
        const full = this.block;
        this.index += 1;
        this.block = this.nextBlock();
        this.filled = 0;
        this.onBlock(full);
      }
    }
  }

  private nextBlock(): Uint8Array {
    const [start, end] = blockSpan(this.size, this.index, this.blockBytes);
    if (end <= start) return new Uint8Array(0);
    return new Uint8Array(this.ownBuffer ?? this.takeBuffer!(), 0, end - start);
  }
}
