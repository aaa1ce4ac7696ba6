// One typed emitter for the browser's stateful classes, instead of a hand-written listener set
// per event. No DOM types: unit-tested in Node.

/** Event names mapped to the arguments their listeners get. */
export type EventMap = Record<string, unknown[]>;

type Listener<Args extends unknown[]> = (...args: Args) => void;

/**
 * `on()` returns its unsubscribe, so nothing else is needed to stop listening; a listener that
 * throws is reported (`onListenerError`) and cannot stop the others or break the emitter.
 */
export class Emitter<Events extends EventMap> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    // Wrapped, so the same function subscribed twice is two subscriptions with their own unsubscribe.
    const entry: Listener<Events[K]> = (...args) => listener(...args);
    set.add(entry as Listener<never>);
    return () => void set.delete(entry as Listener<never>);
  }

  /** Like on(), for the next emission only. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // A copy: listeners may unsubscribe (or subscribe others) while being called.
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(...args);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Drops every listener of `event`, or of every event. */
  clear(event?: keyof Events): void {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
  }
}
