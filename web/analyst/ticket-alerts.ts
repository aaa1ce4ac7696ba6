import type { TicketSummary } from '../../protocol/index.js';

/** What the alerts act on: the page's title, its desktop notifications and its sound (fakes in the unit test). */
export interface AlertTarget {
  /** The console is behind another tab or window: the analyst would not see a new request. */
  isBackground(): boolean;
  setTitle(title: string): void;
  /** A desktop notification; `onClick` when the analyst clicks it. */
  notify(title: string, body: string, tag: string, onClick: () => void): void;
  playSound(): void;
}

export interface AlertSettings {
  notifications: boolean;
  sound: boolean;
}

/** At most this many notifications for one batch of new requests (a burst is one more line in the title). */
export const NOTIFICATIONS_PER_BATCH = 3;

/**
 * New requests in the analyst's queues while the console is in the background: a count in the
 * tab title, a desktop notification each (if the analyst allowed them), one chime (if turned on).
 * Clicking a notification brings the console forward on that ticket. The first list (the
 * console's snapshot) only sets what is known: a request already waiting is not news.
 */
export class TicketAlerts {
  private known = new Set<string>();
  private primed = false;
  private unseen = 0;

  constructor(
    private readonly target: AlertTarget,
    private readonly baseTitle: string,
    private readonly settings: () => AlertSettings,
    private readonly text: (ticket: TicketSummary) => { title: string; body: string },
    private readonly onOpen: (ticketId: string) => void,
  ) {}

  /** The waiting tickets of the analyst's queues, as the console has them now. */
  update(tickets: readonly TicketSummary[]): void {
    const fresh = this.primed ? tickets.filter((ticket) => !this.known.has(ticket.id)) : [];
    this.known = new Set(tickets.map((ticket) => ticket.id));
    this.primed = true;
    if (fresh.length === 0 || !this.target.isBackground()) return;
    this.unseen += fresh.length;
    this.target.setTitle(`(${this.unseen}) ${this.baseTitle}`);
    const { notifications, sound } = this.settings();
    if (notifications) {
      for (const ticket of fresh.slice(0, NOTIFICATIONS_PER_BATCH)) {
        const { title, body } = this.text(ticket);
        this.target.notify(title, body, ticket.id, () => this.onOpen(ticket.id));
      }
    }
    if (sound) this.target.playSound();
  }

  /** The analyst is back on the console: the count goes. */
  seen(): void {
    if (this.unseen === 0) return;
    this.unseen = 0;
    this.target.setTitle(this.baseTitle);
  }

  get unseenCount(): number {
    return this.unseen;
  }
}
