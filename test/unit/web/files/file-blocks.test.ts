import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { BLOCK_BYTES, BlockAssembler, blockSpan, readBlocks } from '../../../../web/files/file-blocks.js';
import { FileDigest } from '../../../../web/files/file-digest.js';

// Small blocks keep the tests fast; the production size is checked for its invariants separately.
const B = 1000;
const SIZES = [0, 1, B - 1, B, B + 1, 3 * B, 3 * B + 517];

async function collect(file: Blob, blockBytes: number): Promise<Uint8Array[]> {
  const blocks: Uint8Array[] = [];
  // Blocks are views of one reused buffer: keep copies.
  for await (const block of readBlocks(file, blockBytes)) blocks.push(block.slice());
  return blocks;
}

/** Cuts `data` into Blob parts of irregular sizes, so stream reads do not line up with blocks. */
function raggedBlob(data: Uint8Array): Blob {
  const parts: Uint8Array[] = [];
  for (let at = 0, n = 1; at < data.byteLength; n = (n * 7 + 3) % 1500 + 1) parts.push(data.subarray(at, (at += n)));
  return new Blob(parts as BlobPart[]);
}

/** The digest as docs/api.md defines it, computed independently with node:crypto. */
function referenceDigest(data: Uint8Array, blockBytes: number): string {
  const header = Buffer.alloc(12);
  header.writeUInt32BE(blockBytes, 0);
  header.writeBigUInt64BE(BigInt(data.byteLength), 4);
  const outer = createHash('sha256').update('relaydesk-file-v1').update(header);
  for (let at = 0; at < data.byteLength; at += blockBytes) outer.update(createHash('sha256').update(data.subarray(at, at + blockBytes)).digest());
  return outer.digest('hex');
}

t.test('readBlocks() yields consecutive blocks on the block grid, covering every byte once', async (t) => {
  for (const size of SIZES) {
    const data = new Uint8Array(randomBytes(size));
    const blocks = await collect(raggedBlob(data), B);
    t.equal(blocks.length, Math.ceil(size / B), `size ${size}: block count`);
    t.ok(blocks.every((b, i) => b.byteLength === blockSpan(size, i, B)[1] - blockSpan(size, i, B)[0]), `size ${size}: block sizes`);
    t.same(Buffer.concat(blocks), Buffer.from(data), `size ${size}: same bytes`);
  }
});

t.test('readBlocks() refuses a file that ends early, and cancels the read when the loop stops', async (t) => {
  // A Blob whose size says more than its stream gives: what a file truncated on disk looks like.
  const liar = { size: 2 * B, stream: () => new Blob([new Uint8Array(B + 10)]).stream() } as unknown as Blob;
  await t.rejects(collect(liar, B), /file ended after 1010 of 2000 bytes/);
  // The same through a reader that is not BYOB (older browsers): copies, same result.
  const plain = {
    size: 2 * B + 7,
    stream: () => {
      const bytes = new Uint8Array(randomBytes(2 * B + 7));
      (plain as { bytes?: Uint8Array }).bytes = bytes;
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.byteLength; at += 333) controller.enqueue(bytes.slice(at, at + 333));
          controller.close();
        },
      });
    },
  } as unknown as Blob & { bytes?: Uint8Array };
  const copied = await collect(plain, B);
  t.same(copied.map((b) => b.byteLength), [B, B, 7]);
  t.same(Buffer.concat(copied), Buffer.from(plain.bytes!), 'a non-byte stream gives the same blocks');
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array(B)),
    cancel: () => void (cancelled = true),
  });
  const endless = { size: 10 * B, stream: () => stream } as unknown as Blob;
  for await (const _block of readBlocks(endless, B)) break;
  t.ok(cancelled, 'leaving the loop cancels the underlying read');
});

t.test('BlockAssembler rebuilds the sender\'s blocks from chunks of any size', async (t) => {
  for (const size of SIZES) {
    const data = new Uint8Array(randomBytes(size));
    const sent = await collect(new Blob([data]), B);
    const received: Uint8Array[] = [];
    const assembler = new BlockAssembler(size, (block) => received.push(block.slice()), B);
    for (let at = 0, n = 3; at < size; n = (n * 5 + 1) % 700 + 1) assembler.push(data.subarray(at, (at += n)));
    t.same(received.map((b) => Buffer.from(b)), sent.map((b) => Buffer.from(b)), `size ${size}`);
  }
});

t.test('BlockAssembler refuses bytes beyond the announced size and keeps what it had', async (t) => {
  const received: Uint8Array[] = [];
  const assembler = new BlockAssembler(B + 10, (block) => received.push(block.slice()), B);
  assembler.push(new Uint8Array(B));
  t.throws(() => assembler.push(new Uint8Array(11)), RangeError);
  t.equal(received.length, 1, 'the first block was handed out');
  assembler.push(new Uint8Array(10).fill(7));
  t.same([...received[1]], new Array(10).fill(7), 'the refused push changed nothing');
});

t.test('both sides reuse one buffer for every block (no allocation per block)', async (t) => {
  const seen: Array<{ buffer: ArrayBufferLike; first: number }> = [];
  const assembler = new BlockAssembler(3 * B, (block) => seen.push({ buffer: block.buffer, first: block[0] }), B);
  for (let i = 0; i < 3; i++) assembler.push(new Uint8Array(B).fill(i + 1));
  t.same(seen.map((b) => b.first), [1, 2, 3], 'each block had its own bytes when handed out');
  t.equal(new Set(seen.map((b) => b.buffer)).size, 1, 'receiver: one buffer');
  const data = new Uint8Array(randomBytes(3 * B + 5));
  const buffers = new Set<number>();
  let offset = 0;
  for await (const block of readBlocks(new Blob([data]), B)) {
    t.same(Buffer.from(block), Buffer.from(data.subarray(offset, offset + block.byteLength)), `block at ${offset}`);
    offset += block.byteLength;
    buffers.add(block.buffer.byteLength);
  }
  t.equal(offset, data.byteLength);
  t.same([...buffers], [B], 'sender: one buffer of one block (a BYOB read moves it, so its size is what can be compared)');
});

t.test('FileDigest matches the documented definition', async (t) => {
  for (const size of SIZES) {
    const data = new Uint8Array(randomBytes(size));
    const digest = new FileDigest(size, B);
    for await (const block of readBlocks(new Blob([data]), B)) digest.addBlock(block);
    t.equal(await digest.hex(), referenceDigest(data, B), `size ${size}`);
  }
});

t.test('FileDigest changes with any change of content, order, length or block size', async (t) => {
  const data = new Uint8Array(randomBytes(3 * B));
  const hex = async (bytes: Uint8Array, blockBytes = B, size = bytes.byteLength) => {
    const digest = new FileDigest(size, blockBytes);
    for await (const block of readBlocks(new Blob([bytes as BlobPart]), blockBytes)) digest.addBlock(block);
    return digest.hex();
  };
  const base = await hex(data);
  t.match(base, /^[0-9a-f]{64}$/);
  const flipped = data.slice();
  flipped[1500] ^= 1;
  t.not(await hex(flipped), base, 'one bit flipped');
  const swapped = new Uint8Array([...data.subarray(B, 2 * B), ...data.subarray(0, B), ...data.subarray(2 * B)]);
  t.not(await hex(swapped), base, 'two blocks swapped');
  t.not(await hex(data.subarray(0, 3 * B - 1)), base, 'one byte shorter');
  t.not(await hex(data, 2 * B), base, 'another block size');
  t.not(await hex(data, B, 3 * B + 1), base, 'another announced size');
});

t.test('the production block size is a whole number of chunks on either route', async (t) => {
  const { FILE_CONNECTION_CHUNK_BYTES, SESSION_CHUNK_BYTES } = await import('../../../../web/files/file-framing.js');
  t.equal(BLOCK_BYTES % SESSION_CHUNK_BYTES, 0);
  t.equal(BLOCK_BYTES % FILE_CONNECTION_CHUNK_BYTES, 0);
});
