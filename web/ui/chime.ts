/**
 * A short two-note chime made with Web Audio (no sound file to fetch). Browsers let a page play
 * sound only after the person interacted with it: `prime()` is called from the click that turns
 * the sound on, so a later `play()` (an analyst took the ticket, a new request came in) is heard.
 */
export class Chime {
  private context: AudioContext | null = null;

  /** From a click or key press: makes the audio context while the page may start one. */
  prime(): void {
    if (typeof AudioContext === 'undefined') return;
    this.context ??= new AudioContext();
    void this.context.resume().catch(() => undefined);
  }

  /** Plays the chime; does nothing where the page may not make sound (no interaction yet). */
  play(): boolean {
    this.prime();
    const context = this.context;
    if (!context || context.state !== 'running') return false;
    const start = context.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      const at = start + i * 0.16;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      tone.connect(gain).connect(context.destination);
      tone.start(at);
      tone.stop(at + 0.32);
    }
    return true;
  }
}

/** One chime per page. */
export const chime = new Chime();

/** Whether the person turned the sound on, kept in this browser (`relaydesk.sound.<who>`). */
export function soundSetting(who: 'customer' | 'analyst'): { get(): boolean; set(on: boolean): void } {
  const key = `relaydesk.sound.${who}`;
  return {
    get: () => globalThis.localStorage?.getItem(key) === 'on',
    set: (on) => globalThis.localStorage?.setItem(key, on ? 'on' : 'off'),
  };
}
