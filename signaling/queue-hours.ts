/**
 * Opening hours of the queues (QUEUE_HOURS, in QUEUE_TIMEZONE). A queue without hours is always
 * open. Outside its hours a queue takes no new requests from the portal (queue.closed); the
 * requests already waiting stay, and analysts may still make tickets for callers.
 */

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MINUTES_PER_DAY = 1440;

export class HoursError extends Error {}

/** Per weekday (0 = Monday), the open intervals in minutes since local midnight: [start, end). */
export type WeeklyHours = Array<Array<[number, number]>>;

function minutesOf(text: string, where: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > MINUTES_PER_DAY) throw new HoursError(`${where}: "${text}" is not a time of day (HH:MM, 00:00 to 24:00).`);
  return minutes;
}

function daysOf(text: string, where: string): number[] {
  const lower = text.toLowerCase();
  if (lower === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  return lower.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-');
    const a = DAYS.indexOf(from as (typeof DAYS)[number]);
    const b = DAYS.indexOf(to as (typeof DAYS)[number]);
    if (a < 0 || b < 0 || b < a) throw new HoursError(`${where}: "${part}" is not a day or a range of days (Mon, Mon-Fri, Sat-Sun, daily).`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

/**
 * "general=Mon-Fri 08:00-18:00; printers=Mon-Fri 09:00-12:00 13:30-17:00, Sat 09:00-12:00" →
 * hours per queue id. Each queue's groups are separated by a comma and a space: days (Mon,
 * Mon-Fri, Mon,Wed without a space, daily), then one or more intervals. An interval ends after it starts (a night shift is two groups: 22:00-24:00 and the
 * next day's 00:00-06:00).
 */
export function parseQueueHours(raw: string, queueIds: string[]): Map<string, WeeklyHours> {
  const hours = new Map<string, WeeklyHours>();
  for (const entry of raw.split(';').map((part) => part.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const queue = eq < 0 ? '' : entry.slice(0, eq).trim();
    if (!queueIds.includes(queue)) throw new HoursError(`QUEUE_HOURS: "${entry}" must start with one of the queue ids (${queueIds.join(', ')}) and "=".`);
    if (hours.has(queue)) throw new HoursError(`QUEUE_HOURS: queue "${queue}" is named twice; give all of its hours in one entry.`);
    const week: WeeklyHours = DAYS.map(() => []);
    const where = `QUEUE_HOURS (${queue})`;
    for (const group of entry.slice(eq + 1).split(/,\s+(?=[A-Za-z])/).map((g) => g.trim()).filter(Boolean)) {
      const [days, ...intervals] = group.split(/\s+/);
      if (intervals.length === 0) throw new HoursError(`${where}: "${group}" needs days and at least one interval, e.g. "Mon-Fri 08:00-18:00".`);
      for (const interval of intervals) {
        const [from, to] = interval.split('-');
        const start = minutesOf(from, where);
        const end = minutesOf(to ?? '', where);
        if (end <= start) throw new HoursError(`${where}: "${interval}" ends before it starts; split a night into two groups.`);
        for (const day of daysOf(days.replace(/,$/, ''), where)) week[day].push([start, end]);
      }
    }
    for (const day of week) day.sort((a, b) => a[0] - b[0]);
    hours.set(queue, week);
  }
  return hours;
}

export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new HoursError(`QUEUE_TIMEZONE: "${timeZone}" is not a time zone; use an IANA name such as Europe/Paris or UTC.`);
  }
}

export class QueueHours {
  private readonly format: Intl.DateTimeFormat;
  /** A closed queue's next opening, kept until it comes (the hours never change while running). */
  private readonly nextOpenings = new Map<string, { from: number; opensAt: number }>();

  constructor(private readonly hours: Map<string, WeeklyHours>, timeZone = 'UTC') {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  /** Whether any queue has hours (else every queue is always open and nothing is computed). */
  get any(): boolean {
    return this.hours.size > 0;
  }

  isOpen(queue: string, at: number): boolean {
    const week = this.hours.get(queue);
    if (!week) return true;
    const { day, minute } = this.local(at);
    return week[day].some(([start, end]) => minute >= start && minute < end);
  }

  /** When a closed queue opens next (epoch ms, to the minute); undefined while open or if it never opens. */
  opensAt(queue: string, at: number): number | undefined {
    const hours = this.hours.get(queue);
    if (!hours || this.isOpen(queue, at)) return undefined;
    // Closed from `from` until `opensAt`: any moment in between has the same next opening.
    const cached = this.nextOpenings.get(queue);
    if (cached && cached.from <= at && at < cached.opensAt) return cached.opensAt;
    const { day, minute } = this.local(at);
    for (let ahead = 0; ahead <= 7; ahead++) {
      const starts = hours[(day + ahead) % 7].map(([start]) => start).filter((start) => ahead > 0 || start > minute);
      if (starts.length === 0) continue;
      // Local minutes from now, turned into an instant; a daylight-saving change on the way is
      // corrected by reading the candidate's own local time once.
      let candidate = Math.floor(at / 60_000) * 60_000 + (ahead * MINUTES_PER_DAY + starts[0] - minute) * 60_000;
      const got = this.local(candidate);
      const week = 7 * MINUTES_PER_DAY;
      let drift = (((got.day * MINUTES_PER_DAY + got.minute) - (((day + ahead) % 7) * MINUTES_PER_DAY + starts[0])) % week + week) % week;
      if (drift > week / 2) drift -= week;
      candidate -= drift * 60_000;
      this.nextOpenings.set(queue, { from: at, opensAt: candidate });
      return candidate;
    }
    return undefined;
  }

  private local(at: number): { day: number; minute: number } {
    let weekday = '';
    let hour = 0;
    let minute = 0;
    for (const part of this.format.formatToParts(at)) {
      if (part.type === 'weekday') weekday = part.value.toLowerCase();
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
    }
    return { day: DAYS.indexOf(weekday as (typeof DAYS)[number]), minute: hour * 60 + minute };
  }
}
