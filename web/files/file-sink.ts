import { BLOCK_BYTES, BlockAssembler } from './file-blocks.js';
import { FileDigest } from './file-digest.js';
import { SINK_WORKER_FILE, TRANSFER_DIR, type SinkReply, type SinkRequest } from './file-sink-protocol.js';

/**
 * Where a received file's bytes go until the transfer is verified, and where its digest is
 * computed. Chromium, Firefox (111+) and Safari (15.2+) stream them to the Origin Private File
 * System (on disk, invisible to the user) through a worker (file-sink-worker.ts), so a large file
 * is never held in memory and the page's main thread only copies chunks into blocks; a browser without it
 * falls back to memory on the page, with a size cap.
 */
export interface FileSink {
  /** Takes the next chunk, in order (copied: the caller keeps its buffer). */
  push(chunk: ArrayBuffer): void;
  /** Called at most once, if storing fails (the disk is full, say). */
  onError(listener: (err: Error) => void): void;
  /** Once every byte is pushed: the file digest (file-digest.ts) and the stored file. */
  complete(): Promise<{ sha256: string; file: Blob }>;
  /** Drops everything written. */
  discard(): Promise<void>;
}

/** Without OPFS, files above this size are refused rather than risking the tab's memory. */
export const MEMORY_SINK_MAX_BYTES = 500 * 1000 * 1000;

async function transferDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(TRANSFER_DIR, { create: true });
  } catch {
    return null;
  }
}

/** The worker bundle sits next to the page bundle that imports this module. */
const workerUrl = () => new URL(`./${SINK_WORKER_FILE}`, import.meta.url);

class WorkerSink implements FileSink {
  private readonly worker: Worker;
  /** Who waits for the answer to open, finish or discard (one of each at a time). */
  private readonly waiting = new Map<SinkRequest['op'], { resolve: (reply: SinkReply) => void; reject: (err: Error) => void }>();
  private broken: Error | null = null;
  private errorListener: ((err: Error) => void) | null = null;

  /** Block buffers the worker handed back, for the next blocks. */
  private readonly spare: ArrayBuffer[] = [];
  private readonly blocks: BlockAssembler;

  constructor(private readonly dir: FileSystemDirectoryHandle, private readonly name: string, size: number) {
    // Chunks are copied into blocks here, and a whole block crosses to the worker at once (one
    // message per block, whichever route's chunk size brought it); its buffer comes back for reuse.
    this.blocks = new BlockAssembler(
      size,
      (block) => {
        if (!this.broken) this.worker.postMessage({ op: 'block', bytes: block.buffer as ArrayBuffer, length: block.byteLength } satisfies SinkRequest, [block.buffer as ArrayBuffer]);
      },
      BLOCK_BYTES,
      () => this.spare.pop() ?? new ArrayBuffer(BLOCK_BYTES),
    );
    this.worker = new Worker(workerUrl(), { name: `relaydesk file ${name}` });
    this.worker.onmessage = (event: MessageEvent<SinkReply>) => {
      const reply = event.data;
      if (reply.re === 'block') {
        if (reply.ok) return void this.spare.push(reply.bytes);
        return this.breakDown(new Error(reply.error));
      }
      const waiter = this.waiting.get(reply.re);
      this.waiting.delete(reply.re);
      if (reply.ok) waiter?.resolve(reply);
      else waiter?.reject(new Error(reply.error));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.breakDown(new Error(`the file writer stopped: ${event.message || 'it could not start'}`));
    };
  }

  /** Opens the file, sized to `size` up front; rejects if the browser or the disk says no. */
  async open(size: number): Promise<void> {
    await this.request({ op: 'open', name: this.name, size });
  }

  push(chunk: ArrayBuffer): void {
    if (!this.broken) this.blocks.push(new Uint8Array(chunk));
  }

  onError(listener: (err: Error) => void): void {
    this.errorListener = listener;
  }

  async complete(): Promise<{ sha256: string; file: Blob }> {
    const reply = await this.request({ op: 'finish' });
    this.stop();
    if (reply.re !== 'finish' || !reply.ok) throw new Error('unexpected reply');
    return { sha256: reply.sha256, file: await (await this.dir.getFileHandle(this.name)).getFile() };
  }

  async discard(): Promise<void> {
    await this.request({ op: 'discard' }).catch(() => undefined);
    this.stop();
    // Also when the worker could not do it (it failed to start, say).
    await this.dir.removeEntry(this.name).catch(() => undefined);
  }

  private request(request: Exclude<SinkRequest, { op: 'block' }>): Promise<SinkReply> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.set(request.op, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  /** Ends the worker; whoever still waits for it hears so at once. */
  private stop(): void {
    this.worker.terminate();
    this.breakDown(new Error('the file writer was closed'), false);
  }

  private breakDown(err: Error, report = true): void {
    if (this.broken) return;
    this.broken = err;
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
    if (report) this.errorListener?.(err);
  }
}

/** Without OPFS: the same blocks and digest on the page, the blocks kept in memory. */
class MemorySink implements FileSink {
  private parts: Uint8Array[] = [];
  private readonly digest: FileDigest;
  private readonly blocks: BlockAssembler;

  constructor(size: number) {
    this.digest = new FileDigest(size);
    this.blocks = new BlockAssembler(size, (block) => {
      this.digest.addBlock(block);
      this.parts.push(block.slice()); // the assembler reuses its buffer
    });
  }

  push(chunk: ArrayBuffer): void {
    this.blocks.push(new Uint8Array(chunk));
  }

  onError(): void {
    // Memory does not fail short of the tab itself.
  }

  async complete(): Promise<{ sha256: string; file: Blob }> {
    const file = new Blob(this.parts as BlobPart[]);
    this.parts = [];
    return { sha256: await this.digest.hex(), file };
  }

  async discard(): Promise<void> {
    this.parts = [];
  }
}

/**
 * Disk through the worker when the browser allows it (the synchronous access handle exists only in
 * workers, so the worker itself is the test); otherwise memory, for files up to the cap. `name`:
 * the file's OPFS name, from its session's SessionFiles (session-files.ts).
 */
export async function createSink(name: string, size: number): Promise<FileSink> {
  const dir = typeof Worker === 'undefined' ? null : await transferDir();
  let diskError: unknown = null;
  if (dir) {
    const sink = new WorkerSink(dir, name, size);
    try {
      await sink.open(size);
      return sink;
    } catch (err) {
      diskError = err;
      await sink.discard();
    }
  }
  if (size > MEMORY_SINK_MAX_BYTES) throw diskError ?? new Error('tooLargeForMemory');
  return new MemorySink(size);
}
