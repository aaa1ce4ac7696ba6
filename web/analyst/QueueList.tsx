import { useEffect, useState } from 'preact/hooks';
import type { QueueInfo, QueueTeamEntry, TicketSummary } from '../../protocol/index.js';
import { formatDuration } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

/** The analyst's queues, oldest ticket first, with live waiting times. */
export function QueueList({ meId, queues, tickets, team, clockOffset, onTake, disabled }: {
  meId: string;
  queues: QueueInfo[];
  tickets: TicketSummary[];
  /** Each queue's analysts online and available (queue.team). */
  team: QueueTeamEntry[];
  clockOffset: number;
  onTake: (id: string) => void;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now() + clockOffset);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + clockOffset), 1000);
    return () => clearInterval(timer);
  }, [clockOffset]);

  return (
    <section class="card" aria-labelledby="queues-title" data-testid="queue-list">
      <h2 id="queues-title">{t('analyst.queues')}</h2>
      {queues.map((queue) => {
        const waiting = tickets.filter((ticket) => ticket.queue === queue.id);
        const members = team.find((entry) => entry.queue === queue.id);
        return (
          <div class="queue" key={queue.id} data-queue={queue.id}>
            <h3>
              {queue.name} <span class="badge" aria-label={t('analyst.waitingCount', { count: waiting.length })}>{waiting.length}</span>
            </h3>
            {members && (
              <p class="muted small" data-testid="queue-team" data-online={members.online} data-available={members.available}>
                {t('analyst.team', { available: members.available, online: members.online })}
              </p>
            )}
            {waiting.length === 0 ? (
              <p class="muted">{t('analyst.empty')}</p>
            ) : (
              <ul class="tickets">
                {waiting.map((ticket) => {
                  const transfer = ticket.transfer;
                  const keptFor = transfer?.reservedForId && (transfer.reservedUntil ?? 0) > now ? transfer : null;
                  const notMine = keptFor !== null && keptFor.reservedForId !== meId;
                  return (
                  <li key={ticket.id} class="ticket" data-testid="ticket" data-ticket-id={ticket.id} data-kept-for={keptFor?.reservedForId ?? ''}>
                    <div>
                      <strong>{ticket.name}</strong>
                      <span class={ticket.customerOnline ? 'online' : 'offline'}>
                        {ticket.customerOnline ? t('analyst.online') : t('analyst.offline')}
                      </span>
                      <div class="muted">
                        {[ticket.email, ticket.phone].filter(Boolean).join(' · ')} · {t('analyst.waiting', { duration: formatDuration(now - ticket.createdAt) })}
                      </div>
                      {ticket.problem && <div class="problem-line" data-testid="ticket-problem">{ticket.problem}</div>}
                      {transfer && (
                        <div class="problem-line" data-testid="ticket-transfer">
                          {t('handOver.from', { name: transfer.fromName })} {transfer.note}
                          {keptFor && <> · <strong>{keptFor.reservedForId === meId ? t('handOver.forYou') : t('handOver.keptFor', { name: keptFor.reservedForName ?? '', duration: formatDuration((keptFor.reservedUntil ?? 0) - now) })}</strong></>}
                        </div>
                      )}
                    </div>
                    <button type="button" class="primary" disabled={disabled || !ticket.customerOnline || notMine}
                      onClick={() => onTake(ticket.id)} aria-label={`${t('analyst.take')} ${ticket.name}`}>
                      {t('analyst.take')}
                    </button>
                  </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}
