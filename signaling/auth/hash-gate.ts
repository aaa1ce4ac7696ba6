/**
 * Bounds the password hashes that run at once. Each scrypt verification takes ~32 MiB and a thread
 * of libuv's pool (4 threads by default), which also reads the static files: without a bound,
 * unauthenticated sign-ins can fill the pool and stall the whole server. At most `concurrent` run
 * (two threads stay free for files); up to `queued` wait their turn (a few seconds at most);
 * beyond that a sign-in is refused at once (503, try again).
 */
export class HashGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrent = 2, private readonly queued = 256) {}

  /** Runs `work` when a slot is free; null (without running it) when too many already wait. */
  async run<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.concurrent) {
      if (this.waiting.length >= this.queued) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
