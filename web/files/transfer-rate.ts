/** Speed (bytes/s, smoothed) and time left for a progress bar. Pure, with an injectable clock. */
export class RateMeter {
  private lastAt: number;
  private lastBytes = 0;
  private rate = 0;

  constructor(private readonly total: number, private readonly now: () => number = () => performance.now()) {
    this.lastAt = now();
  }

  /** Feeds the bytes done so far; returns the smoothed speed. Samples closer than 250 ms are merged. */
  update(bytesDone: number): number {
    const at = this.now();
    const elapsed = (at - this.lastAt) / 1000;
    if (elapsed < 0.25) return this.rate;
    const instant = (bytesDone - this.lastBytes) / elapsed;
    this.rate = this.rate === 0 ? instant : 0.7 * this.rate + 0.3 * instant;
    this.lastAt = at;
    this.lastBytes = bytesDone;
    return this.rate;
  }

  get bytesPerSecond(): number {
    return this.rate;
  }

  /** Seconds left at the current speed, or null while unknown. */
  secondsLeft(bytesDone: number): number | null {
    return this.rate > 0 ? Math.max(0, (this.total - bytesDone) / this.rate) : null;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
