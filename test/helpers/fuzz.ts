/** Small, seeded generators for fuzzing: the same seed gives the same inputs, so failures replay. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzzer {
  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(): string {
    const kind = this.int(8);
    if (kind === 0) return '';
    if (kind === 1) return this.pick(['__proto__', 'constructor', 'prototype', 'toString', 'type', 'ticketId', 'data', 'allow', 'sharing']);
    if (kind === 2) return 'x'.repeat(this.pick([100, 1000, 70_000, 300_000]));
    if (kind === 3) return String.fromCodePoint(...Array.from({ length: 1 + this.int(20) }, () => this.int(0x10ffff - 0xe000) + (this.random() < 0.5 ? 0 : 0xe000)).filter((c) => c < 0xd800 || c > 0xdfff));
    if (kind === 4) return this.pick(['ticket.take', 'ticket.cancel', 'consent.reply', 'share.state', 'session.end', 'session.route', 'signal', 'error', 'queue.snapshot']);
    if (kind === 5) return this.pick(['../../etc/passwd', '<script>alert(1)</script>', "'; DROP TABLE tickets; --", '%00', '\u0000', '\ud800']);
    return this.random().toString(36).slice(2, 2 + this.int(30));
  }

  value(depth = 0): unknown {
    const kind = this.int(depth > 3 ? 5 : 8);
    switch (kind) {
      case 0: return null;
      case 1: return this.random() < 0.5;
      case 2: return this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.MIN_VALUE]);
      case 3:
      case 4: return this.string();
      case 5: return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) object[this.string().slice(0, 40)] = this.value(depth + 1);
        return object;
      }
    }
  }

  /** A valid-looking message with one to three things wrong with it. */
  mutate(template: Record<string, unknown>): unknown {
    let value: Record<string, unknown> = structuredClone(template);
    for (let i = 1 + this.int(3); i > 0; i--) {
      const keys = Object.keys(value);
      const op = this.int(6);
      if (op === 0 && keys.length) delete value[this.pick(keys)];
      else if (op === 1) value[this.string().slice(0, 30) || 'extra'] = this.value(1);
      else if (op === 2 && keys.length) value[this.pick(keys)] = this.value(1);
      else if (op === 3) value.type = this.string();
      else if (op === 4) return [value];
      else value = { ...value, ...(this.value(1) as object) };
    }
    return value;
  }

  /** Text that is not quite JSON, or JSON that is not an object. */
  rawText(valid: string): string {
    const op = this.int(4);
    if (op === 0) return valid.slice(0, this.int(valid.length));
    if (op === 1) return valid + this.pick(['}', ',', ']', 'garbage']);
    if (op === 2) return JSON.stringify(this.value());
    return Array.from({ length: this.int(200) }, () => String.fromCharCode(this.int(256))).join('');
  }
}
