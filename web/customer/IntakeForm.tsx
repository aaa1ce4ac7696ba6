import { useEffect, useState } from 'preact/hooks';
import { checkEmail, checkName, checkPhone, LIMITS, type ErrorCode, type PortalQueue, type TicketCreated } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

type Field = 'name' | 'email' | 'phone';
const CHECKS: Record<Field, (value: string) => ErrorCode | null> = { name: checkName, email: checkEmail, phone: checkPhone };

/** The customer picks a queue and leaves their contact details; the same checks run on the server. */
export function IntakeForm() {
  const { t, err } = useI18n();
  const [queues, setQueues] = useState<PortalQueue[] | null>(null);
  const [queuesFailed, setQueuesFailed] = useState(false);
  const [queue, setQueue] = useState('');
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', phone: '' });
  const [touched, setTouched] = useState<Record<Field, boolean>>({ name: false, email: false, phone: false });
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);

  const loadQueues = (keep: string) =>
    api<PortalQueue[]>('/api/queues').then((result) => {
      if (!result.ok) return setQueuesFailed(true);
      setQueues(result.data);
      // The analyst may send a link naming the queue: /?queue=printers. Else the first one with room.
      const wanted = keep || new URLSearchParams(location.search).get('queue');
      setQueue(result.data.find((q) => q.id === wanted)?.id ?? result.data.find((q) => !q.full)?.id ?? result.data[0]?.id ?? '');
    });
  useEffect(() => void loadQueues(''), []);

  const problems = Object.fromEntries((Object.keys(CHECKS) as Field[]).map((f) => [f, CHECKS[f](values[f])])) as Record<Field, ErrorCode | null>;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setTouched({ name: true, email: true, phone: true });
    setServerError(null);
    const firstBad = (Object.keys(problems) as Field[]).find((f) => problems[f]);
    if (firstBad) return document.getElementById(`intake-${firstBad}`)?.focus();
    setSubmitting(true);
    const result = await api<TicketCreated>('/api/tickets', { body: { queue, ...values } });
    if (!result.ok) {
      setSubmitting(false);
      // Filled up meanwhile: the picker says so too.
      if (result.code === 'queue.full') void loadQueues(queue);
      return setServerError(err(result.code, result.message));
    }
    location.assign(new URL(result.data.url, location.href).pathname);
  };

  if (queuesFailed) return <Notice kind="error">{t('intake.queuesFailed')}</Notice>;
  if (!queues) return <p aria-busy="true">{t('intake.loadingQueues')}</p>;
  const chosenFull = queues.find((q) => q.id === queue)?.full ?? false;

  const field = (name: Field, label: string, type: 'text' | 'email' | 'tel', autocomplete: string, max: number) => {
    const problem = touched[name] ? problems[name] : null;
    return (
      <div class="field">
        <label for={`intake-${name}`}>{label}</label>
        <input
          id={`intake-${name}`}
          name={name}
          type={type as 'text'}
          autocomplete={autocomplete}
          maxLength={max}
          required
          value={values[name]}
          aria-invalid={problem ? 'true' : 'false'}
          aria-describedby={problem ? `intake-${name}-error` : undefined}
          onInput={(e) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value })}
          onBlur={() => setTouched({ ...touched, [name]: true })}
        />
        {problem && (
          <span class="field-error" id={`intake-${name}-error`}>
            {err(problem)}
          </span>
        )}
      </div>
    );
  };

  return (
    <form class="card" onSubmit={onSubmit} noValidate data-testid="intake-form">
      <h1>{t('intake.title')}</h1>
      <p>{t('intake.intro')}</p>
      <div class="field">
        <label for="intake-queue">{t('intake.queue')}</label>
        <select id="intake-queue" name="queue" value={queue} aria-describedby={chosenFull ? 'intake-queue-full' : undefined}
          onChange={(e) => {
            setQueue((e.target as HTMLSelectElement).value);
            setServerError(null);
          }}>
          {queues.map((q) => (
            <option key={q.id} value={q.id} data-full={q.full ? 'true' : undefined}>
              {q.full ? t('intake.queueFullMark', { name: q.name }) : q.name}
            </option>
          ))}
        </select>
        {chosenFull && (
          <div class="field-error" id="intake-queue-full" data-testid="queue-full">
            {t('intake.queueFull')}{' '}
            <button type="button" onClick={() => void loadQueues(queue)}>
              {t('intake.checkAgain')}
            </button>
          </div>
        )}
      </div>
      {field('name', t('intake.name'), 'text', 'name', LIMITS.nameMax)}
      {field('email', t('intake.email'), 'email', 'email', LIMITS.emailMax)}
      {field('phone', t('intake.phone'), 'tel', 'tel', LIMITS.phoneMax)}
      {serverError && !chosenFull && <Notice kind="error">{serverError}</Notice>}
      <button type="submit" class="primary" disabled={submitting || chosenFull}>
        {submitting ? t('intake.submitting') : t('intake.submit')}
      </button>
    </form>
  );
}
