/**
 * The customer always wins. The helper remembers where it last put the pointer; if the real pointer
 * is somewhere else, the customer moved it, and remote input is suspended until `quietMs` after the
 * last local movement (or key press of theirs: localKey()). Pure logic with an injected clock; the helper polls it.
 */
export class CustomerPriority {
  private expected: { x: number; y: number } | null = null;
  private suspendedUntil = 0;

  constructor(private readonly now: () => number, private readonly quietMs = 1500, private readonly tolerancePx = 2) {}

  /** The helper just put the pointer here. */
  injectedAt(position: { x: number; y: number }): void {
    this.expected = position;
  }

  /** Feeds the pointer's real position; returns true when this shows local activity. */
  observe(position: { x: number; y: number }): boolean {
    const moved =
      this.expected !== null &&
      (Math.abs(position.x - this.expected.x) > this.tolerancePx || Math.abs(position.y - this.expected.y) > this.tolerancePx);
    if (moved) {
      this.suspendedUntil = this.now() + this.quietMs;
      this.expected = position; // follow the customer; the next local move extends the pause
    }
    return moved;
  }

  /** The customer used their own keyboard (local-keys.ts): paused like a local move. */
  localKey(): void {
    this.suspendedUntil = this.now() + this.quietMs;
  }

  get suspended(): boolean {
    return this.now() < this.suspendedUntil;
  }
}
