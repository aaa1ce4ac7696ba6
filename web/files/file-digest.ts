import { BLOCK_BYTES } from './file-blocks.js';
import { toHex } from '../hex.js';

/**
 * The integrity check of a file transfer: a two-level SHA-256 (a hash list, as Dropbox's content
 * hash does). Each block of BLOCK_BYTES is hashed with SHA-256, then the digest is
 *
 *   SHA-256( "relaydesk-file-v1" ‖ block size (u32 BE) ‖ file size (u64 BE) ‖ SHA-256(block 0) ‖ SHA-256(block 1) ‖ … )
 *
 * Changing, adding, removing or reordering any byte changes a block digest and so the result, with
 * the collision resistance of SHA-256 itself. Why not one SHA-256 over the whole file: browsers only
 * hash whole buffers (WebCrypto has no incremental digest), and an incremental WebAssembly SHA-256
 * costs about three times the CPU of WebCrypto's hardware-accelerated one, which also runs off the
 * main thread (docs/benchmarks.md). Needs a secure context (HTTPS, or http://localhost).
 */
const DOMAIN = new TextEncoder().encode('relaydesk-file-v1');

export class FileDigest {
  private readonly blocks: Array<Promise<ArrayBuffer>> = [];

  constructor(private readonly size: number, private readonly blockBytes = BLOCK_BYTES) {}

  /** Hashes the next block; WebCrypto copies the bytes at once, so the caller may reuse them. */
  addBlock(block: Uint8Array): void {
    this.blocks.push(crypto.subtle.digest('SHA-256', block as Uint8Array<ArrayBuffer>));
  }

  /** Lowercase hex of the file digest, once every block added so far is hashed. */
  async hex(): Promise<string> {
    const digests = await Promise.all(this.blocks);
    const summary = new Uint8Array(DOMAIN.byteLength + 4 + 8 + 32 * digests.length);
    summary.set(DOMAIN, 0);
    const view = new DataView(summary.buffer);
    view.setUint32(DOMAIN.byteLength, this.blockBytes, false);
    view.setBigUint64(DOMAIN.byteLength + 4, BigInt(this.size), false);
    digests.forEach((digest, i) => summary.set(new Uint8Array(digest), DOMAIN.byteLength + 12 + 32 * i));
    const result = new Uint8Array(await crypto.subtle.digest('SHA-256', summary));
    return toHex(result);
  }
}
