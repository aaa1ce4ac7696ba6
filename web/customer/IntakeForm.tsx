import { useEffect, useState } from 'preact/hooks';
import { checkEmail, checkName, checkPhone, checkProblem, LIMITS, type ErrorCode, type PortalQueue, type TicketCreated } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { QueueOutlookText } from '../ui/QueueOutlookText.js';
import { useI18n } from '../i18n/i18n.js';

type Field = 'name' | 'email' | 'phone' | 'problem';
/** A field left blank is checked only by `contactNeeded` (email and phone) or not at all (problem). */
const CHECKS: Record<Field, (value: string) => ErrorCode | null> = {
  name: checkName,
  email: (v) => (v.trim() ? checkEmail(v) : null),
  phone: (v) => (v.trim() ? checkPhone(v) : null),
  problem: checkProblem,
};
const FIELDS = Object.keys(CHECKS) as Field[];

/**
 * The customer picks a queue, says how to reach them (an email or a phone number: one is enough)
 * and, if they like, what the problem is; the same checks run on the server.
 */
export function IntakeForm() {
  const { t, err } = useI18n();
  const [queues, setQueues] = useState<PortalQueue[] | null>(null);
  const [queuesFailed, setQueuesFailed] = useState(false);
  const [queue, setQueue] = useState('');
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', phone: '', problem: '' });
  const [touched, setTouched] = useState<Record<Field, boolean>>({ name: false, email: false, phone: false, problem: false });
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

  const problems = Object.fromEntries(FIELDS.map((f) => [f, CHECKS[f](values[f])])) as Record<Field, ErrorCode | null>;
  const unreachable = !values.email.trim() && !values.phone.trim();
  // Said once both were left (or the form was sent): not while the customer is still on the first.
  const showUnreachable = unreachable && touched.email && touched.phone;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setTouched({ name: true, email: true, phone: true, problem: true });
    setServerError(null);
    const firstBad = problems.name ? 'name' : unreachable ? 'email' : FIELDS.find((f) => problems[f]);
    if (firstBad) return document.getElementById(`intake-${firstBad}`)?.focus();
    setSubmitting(true);
    const result = await api<TicketCreated>('/api/tickets', { body: { queue, ...values } });
    if (!result.ok) {
      setSubmitting(false);
      // Filled up meanwhile: the picker says so too.
      if (result.code === 'queue.full' || result.code === 'queue.closed') void loadQueues(queue);
      return setServerError(err(result.code, result.message));
    }
    location.assign(new URL(result.data.url, location.href).pathname);
  };

  if (queuesFailed) return <Notice kind="error">{t('intake.queuesFailed')}</Notice>;
  if (!queues) return <p aria-busy="true">{t('intake.loadingQueues')}</p>;
  const chosen = queues.find((q) => q.id === queue);
  const chosenFull = chosen?.full ?? false;
  const chosenClosed = chosen ? !chosen.outlook.open : false;

  const field = (name: Field, label: string, type: 'text' | 'email' | 'tel', autocomplete: string, max: number, required: boolean) => {
    const problem = touched[name] ? problems[name] : null;
    const contactField = name === 'email' || name === 'phone';
    const describedBy = [problem && `intake-${name}-error`, contactField && (showUnreachable ? 'intake-contact-error' : 'intake-contact-hint')].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={`intake-${name}`}>{label}</label>
        <input
          id={`intake-${name}`}
          name={name}
          type={type as 'text'}
          autocomplete={autocomplete}
          maxLength={max}
          required={required}
          value={values[name]}
          aria-invalid={problem || (contactField && showUnreachable) ? 'true' : 'false'}
          aria-describedby={describedBy || undefined}
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
              {q.full ? t('intake.queueFullMark', { name: q.name }) : q.outlook.open ? q.name : t('intake.queueClosedMark', { name: q.name })}
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
      {chosen && !chosenFull && <QueueOutlookText outlook={chosen.outlook} testId="portal-outlook" />}
      {field('name', t('intake.name'), 'text', 'name', LIMITS.nameMax, true)}
      <fieldset class="contact">
        <legend>{t('intake.reach')}</legend>
        {field('email', t('intake.email'), 'email', 'email', LIMITS.emailMax, false)}
        {field('phone', t('intake.phone'), 'tel', 'tel', LIMITS.phoneMax, false)}
        {showUnreachable
          ? <span class="field-error" id="intake-contact-error" data-testid="contact-needed">{err('ticket.contactNeeded')}</span>
          : <span class="muted" id="intake-contact-hint">{t('intake.reachHint')}</span>}
      </fieldset>
      <div class="field">
        <label for="intake-problem">{t('intake.problem')} <span class="muted">{t('analyst.optional')}</span></label>
        <textarea id="intake-problem" name="problem" rows={3} maxLength={LIMITS.problemMax} value={values.problem}
          placeholder={t('intake.problemPlaceholder')} aria-describedby="intake-problem-count"
          onInput={(e) => setValues({ ...values, problem: (e.target as HTMLTextAreaElement).value })} />
        <span class="muted" id="intake-problem-count">{t('intake.problemCount', { left: LIMITS.problemMax - values.problem.length })}</span>
      </div>
      {serverError && !chosenFull && <Notice kind="error">{serverError}</Notice>}
      <button type="submit" class="primary" disabled={submitting || chosenFull || chosenClosed}>
        {submitting ? t('intake.submitting') : t('intake.submit')}
      </button>
    </form>
  );
}
