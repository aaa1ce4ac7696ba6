import { useEffect, useState } from 'preact/hooks';
import type { SupervisorView } from '../../protocol/index.js';
import { api } from '../api.js';
import { formatDuration, Notice } from '../ui/components.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';

/** The view is asked again this often while the tab shows it. */
export const SUPERVISOR_REFRESH_MS = 2000;

/** The supervisor's (an admin's) live view: every queue, analyst and session, never a session's content. */
export function SupervisorPanel() {
  const { t, err } = useI18n();
  const [view, setView] = useState<SupervisorView | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const result = await api<SupervisorView>('/api/supervisor');
      if (stopped) return;
      if (result.ok) {
        setView(result.data);
        setOffset(result.data.serverTime - Date.now());
        setError(null);
      } else {
        setError(err(result.code, result.message));
      }
      timer = setTimeout(() => void load(), SUPERVISOR_REFRESH_MS);
    };
    void load();
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(tick);
    };
  }, []);

  if (!view) return error ? <Notice kind="error">{error}</Notice> : <p aria-busy="true">{t('supervisor.loading')}</p>;
  const serverNow = now + offset;
  const since = (at: number) => formatDuration(serverNow - at);
  const queueName = (id: string) => view.queues.find((q) => q.id === id)?.name ?? id;

  return (
    <section class="card supervisor" aria-labelledby="supervisor-title" data-testid="supervisor">
      <h2 id="supervisor-title">{t('supervisor.title')}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      <table data-testid="supervisor-queues">
        <caption>{t('supervisor.queues')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.queue')}</th>
            <th scope="col">{t('supervisor.waiting')}</th>
            <th scope="col">{t('supervisor.longestWait')}</th>
            <th scope="col">{t('supervisor.team')}</th>
            <th scope="col">{t('supervisor.todayTakes')}</th>
            <th scope="col">{t('supervisor.todayMedian')}</th>
            <th scope="col">{t('supervisor.todaySessions')}</th>
          </tr>
        </thead>
        <tbody>
          {view.queues.map((q) => (
            <tr key={q.id} data-queue={q.id} data-waiting={q.waiting} data-available={q.available} data-online={q.online} data-takes={q.today.takes} data-sessions={q.today.sessions}>
              <th scope="row">{q.name}{q.open ? '' : ` (${t('supervisor.closed')})`}</th>
              <td>{q.waiting}</td>
              <td>{q.longestWaitMs === null ? '—' : formatDuration(q.longestWaitMs + (serverNow - view.serverTime))}</td>
              <td>{t('analyst.team', { available: q.available, online: q.online })}</td>
              <td>{q.today.takes}</td>
              <td>{q.today.medianTimeToTakeMs === null ? '—' : formatDuration(q.today.medianTimeToTakeMs)}</td>
              <td>{q.today.sessions}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table data-testid="supervisor-analysts">
        <caption>{t('supervisor.analysts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.analyst')}</th>
            <th scope="col">{t('supervisor.status')}</th>
            <th scope="col">{t('supervisor.since')}</th>
            <th scope="col">{t('supervisor.analystQueues')}</th>
          </tr>
        </thead>
        <tbody>
          {view.analysts.length === 0 && <tr><td colSpan={4} class="muted">{t('supervisor.noAnalyst')}</td></tr>}
          {view.analysts.map((a) => (
            <tr key={a.id} data-analyst={a.id} data-status={a.status}>
              <th scope="row">{a.name}</th>
              <td><span class={`presence presence-${a.status}`}>{t(`supervisor.status.${a.status}` as StringKey)}</span></td>
              <td>{since(a.since)}</td>
              <td>{a.queues.map(queueName).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table data-testid="supervisor-sessions">
        <caption>{t('supervisor.sessions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.queue')}</th>
            <th scope="col">{t('supervisor.analyst')}</th>
            <th scope="col">{t('supervisor.state')}</th>
            <th scope="col">{t('supervisor.duration')}</th>
            <th scope="col">{t('supervisor.route')}</th>
          </tr>
        </thead>
        <tbody>
          {view.sessions.length === 0 && <tr><td colSpan={5} class="muted">{t('supervisor.noSession')}</td></tr>}
          {view.sessions.map((s) => (
            <tr key={s.id} data-session={s.id} data-state={s.state} data-route={s.route ?? ''}>
              <td>{queueName(s.queue)}</td>
              <th scope="row">{s.analystName}</th>
              <td>{t(`supervisor.state.${s.state}` as StringKey)}</td>
              <td>{since(s.since)}</td>
              <td>{s.route === null ? '—' : t(`supervisor.route.${s.route}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{t('supervisor.memoryOnly')}</p>
    </section>
  );
}
