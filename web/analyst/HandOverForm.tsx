import { useEffect, useState } from 'preact/hooks';
import { LIMITS, type Colleagues, type PortalQueue } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';

type Target = { queue: string; analystId?: string };

/**
 * "Hand over": to a queue, or to a colleague online (in one of their queues), with a note for
 * them. The customer is told who takes over and consents again, to that person.
 */
export function HandOverForm({ currentQueue, onHandOver, onCancel }: { currentQueue: string; onHandOver: (target: Target, note: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [queues, setQueues] = useState<PortalQueue[] | null>(null);
  const [colleagues, setColleagues] = useState<Colleagues | null>(null);
  const [failed, setFailed] = useState(false);
  const [choice, setChoice] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    void Promise.all([api<PortalQueue[]>('/api/queues'), api<Colleagues>('/api/analyst/colleagues')]).then(([q, c]) => {
      if (!q.ok || !c.ok) return setFailed(true);
      setQueues(q.data);
      setColleagues(c.data);
      setChoice(`q:${q.data.find((x) => x.id !== currentQueue)?.id ?? q.data[0]?.id ?? ''}`);
    });
  }, []);

  if (failed) return <Notice kind="error">{t('handOver.failed')}</Notice>;
  if (!queues || !colleagues) return <p aria-busy="true">{t('common.loading')}</p>;
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? id;
  /** A colleague is handed the session in the current queue if they are in it, else in their first. */
  const queueFor = (queuesOf: string[]) => (queuesOf.includes(currentQueue) ? currentQueue : queuesOf[0]);
  const target = (): Target | null => {
    const [kind, id] = [choice.slice(0, 1), choice.slice(2)];
    if (kind === 'q' && id) return { queue: id };
    const colleague = colleagues.find((c) => c.id === id);
    return kind === 'a' && colleague ? { queue: queueFor(colleague.queues), analystId: colleague.id } : null;
  };

  return (
    <form class="panel hand-over" data-testid="hand-over-form" onSubmit={(e) => {
      e.preventDefault();
      const chosen = target();
      if (chosen) onHandOver(chosen, note.trim());
    }}>
      <h3>{t('handOver.title')}</h3>
      <p class="muted small">{t('handOver.explain')}</p>
      <div class="field">
        <label for="hand-over-to">{t('handOver.to')}</label>
        <select id="hand-over-to" value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)} data-testid="hand-over-to">
          <optgroup label={t('handOver.queues')}>
            {queues.map((q) => <option key={q.id} value={`q:${q.id}`}>{t('handOver.queueOption', { queue: q.name, available: q.outlook.analystsAvailable })}</option>)}
          </optgroup>
          <optgroup label={t('handOver.colleagues')}>
            {colleagues.length === 0 && <option disabled value="">{t('handOver.noColleague')}</option>}
            {colleagues.map((c) => (
              <option key={c.id} value={`a:${c.id}`} data-status={c.status}>
                {t('handOver.colleagueOption', { name: c.name, status: t(`supervisor.status.${c.status}` as StringKey), queue: queueName(queueFor(c.queues)) })}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div class="field">
        <label for="hand-over-note">{t('handOver.note')} <span class="muted">{t('analyst.optional')}</span></label>
        <textarea id="hand-over-note" rows={2} maxLength={LIMITS.transferNoteMax} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          placeholder={t('handOver.notePlaceholder')} data-testid="hand-over-note" />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={!target()} data-testid="hand-over-send">{t('handOver.send')}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('shortcuts.cancel')}</button>
      </div>
    </form>
  );
}
