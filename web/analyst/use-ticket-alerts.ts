import { useEffect, useRef, useState } from 'preact/hooks';
import type { QueueInfo, TicketSummary } from '../../protocol/index.js';
import { chime, soundSetting } from '../ui/chime.js';
import { useI18n } from '../i18n/i18n.js';
import { TicketAlerts, type AlertSettings } from './ticket-alerts.js';

const sound = soundSetting('analyst');
const ASKED_KEY = 'relaydesk.notifications.asked';

export type NotificationState = 'unsupported' | NotificationPermission;

/** Behind another tab or window: the analyst would not see a new request. */
const inBackground = () => document.hidden || !document.hasFocus();

const permission = (): NotificationState => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** Brings the console forward on a ticket: the queue shows it, its Take button has the focus. */
function showTicket(ticketId: string): void {
  window.focus();
  const button = document.querySelector<HTMLButtonElement>(`[data-ticket-id="${CSS.escape(ticketId)}"] button`);
  button?.scrollIntoView({ block: 'center' });
  button?.focus();
}

export interface TicketAlertsState {
  notifications: NotificationState;
  /** The analyst chose "not now" for notifications (the offer stays away). */
  declined: boolean;
  sound: boolean;
  askNotifications(): Promise<void>;
  decline(): void;
  setSound(on: boolean): void;
}

/** The console's alerts for new requests (ticket-alerts.ts), and the analyst's settings for them. */
export function useTicketAlerts(tickets: TicketSummary[], queues: QueueInfo[]): TicketAlertsState {
  const { t } = useI18n();
  const [notifications, setNotifications] = useState<NotificationState>(permission());
  const [declined, setDeclined] = useState(globalThis.localStorage?.getItem(ASKED_KEY) === 'declined');
  const [soundOn, setSoundOn] = useState(sound.get());
  const settings = useRef<AlertSettings>({ notifications: false, sound: false });
  settings.current = { notifications: notifications === 'granted', sound: soundOn };
  const words = useRef({ t, queues });
  words.current = { t, queues };

  const alerts = useRef<TicketAlerts | null>(null);
  alerts.current ??= new TicketAlerts(
    {
      isBackground: inBackground,
      setTitle: (title) => (document.title = title),
      notify: (title, body, tag, onClick) => {
        const shown = new Notification(title, { body, tag, lang: document.documentElement.lang });
        shown.onclick = () => {
          onClick();
          shown.close();
        };
      },
      playSound: () => void chime.play(),
    },
    document.title,
    () => settings.current,
    (ticket) => {
      const queue = words.current.queues.find((q) => q.id === ticket.queue)?.name ?? ticket.queue;
      const body = ticket.problem ? `${ticket.name}: ${ticket.problem}` : ticket.name;
      return { title: words.current.t('alerts.newTicket', { queue }), body: body.length > 140 ? `${body.slice(0, 139)}…` : body };
    },
    showTicket,
  );

  useEffect(() => alerts.current!.update(tickets), [tickets]);

  useEffect(() => {
    const back = () => {
      if (!inBackground()) alerts.current!.seen();
    };
    document.addEventListener('visibilitychange', back);
    window.addEventListener('focus', back);
    return () => {
      document.removeEventListener('visibilitychange', back);
      window.removeEventListener('focus', back);
    };
  }, []);

  return {
    notifications,
    declined,
    sound: soundOn,
    askNotifications: async () => {
      if (typeof Notification === 'undefined') return;
      setNotifications(await Notification.requestPermission());
      globalThis.localStorage?.setItem(ASKED_KEY, 'asked');
    },
    decline: () => {
      globalThis.localStorage?.setItem(ASKED_KEY, 'declined');
      setDeclined(true);
    },
    setSound: (on) => {
      if (on) chime.prime();
      sound.set(on);
      setSoundOn(on);
    },
  };
}
