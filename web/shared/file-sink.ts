/**
 * Where received file bytes go until the transfer is verified. Chromium, Firefox and Safari 17+
 * stream them to the Origin Private File System (on disk, invisible to the user), so a large file
 * is never held in memory; older browsers fall back to memory, with a size cap.
 */
export interface FileSink {
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and returns the finished file (disk-backed on OPFS). */
  finish(): Promise<Blob>;
  /** Drops everything written. */
  discard(): Promise<void>;
}

/** Without OPFS, files above this size are refused rather than risking the tab's memory. */
export const MEMORY_SINK_MAX_BYTES = 500 * 1000 * 1000;
const DIR = 'relaydesk-transfers';
/** Writes are batched: one OPFS write per ~2 MB instead of one per 64 KiB chunk. */
const BATCH_BYTES = 2 * 1024 * 1024;

async function transferDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(DIR, { create: true });
  } catch {
    return null;
  }
}

export async function opfsAvailable(): Promise<boolean> {
  const dir = await transferDir();
  return dir !== null && 'createWritable' in FileSystemFileHandle.prototype;
}

class OpfsSink implements FileSink {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly dir: FileSystemDirectoryHandle, private readonly name: string, private readonly handle: FileSystemFileHandle,
    private readonly writable: FileSystemWritableFileStream) {}

  async write(bytes: Uint8Array): Promise<void> {
    // The chunk's buffer is reused by nobody, but copy anyway: it may be a view on a larger message.
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.byteLength;
    if (this.pendingBytes >= BATCH_BYTES) await this.flush();
  }

  async finish(): Promise<Blob> {
    await this.flush();
    await this.writable.close();
    return this.handle.getFile();
  }

  async discard(): Promise<void> {
    this.pending = [];
    await this.writable.abort().catch(() => undefined);
    await this.dir.removeEntry(this.name).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const batch = new Blob(this.pending as BlobPart[]);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writable.write(batch);
  }
}

class MemorySink implements FileSink {
  private parts: Uint8Array[] = [];
  async write(bytes: Uint8Array): Promise<void> {
    this.parts.push(bytes.slice());
  }
  async finish(): Promise<Blob> {
    const blob = new Blob(this.parts as BlobPart[]);
    this.parts = [];
    return blob;
  }
  async discard(): Promise<void> {
    this.parts = [];
  }
}

export async function createSink(transferId: string, size: number): Promise<FileSink> {
  const dir = await transferDir();
  if (dir && 'createWritable' in FileSystemFileHandle.prototype) {
    const handle = await dir.getFileHandle(transferId, { create: true });
    const writable = await handle.createWritable({ keepExistingData: false });
    return new OpfsSink(dir, transferId, handle, writable);
  }
  if (size > MEMORY_SINK_MAX_BYTES) throw new Error('tooLargeForMemory');
  return new MemorySink();
}

/** Removes every transfer file of this origin: at session end, and at page load after a crash. */
export async function clearTransferFiles(keep: ReadonlySet<string> = new Set()): Promise<void> {
  const dir = await transferDir();
  if (!dir) return;
  const names: string[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  await Promise.all(names.filter((n) => !keep.has(n)).map((n) => dir.removeEntry(n).catch(() => undefined)));
}
