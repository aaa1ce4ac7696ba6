import { useState } from 'preact/hooks';
import { LIMITS, type QueueInfo, type TicketCreated } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

/** For a customer on the phone: make the ticket here, read or send them the link. */
export function CreateLinkForm({ queues }: { queues: QueueInfo[] }) {
  const { t, err } = useI18n();
  const [queue, setQueue] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [created, setCreated] = useState<{ name: string; url: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setCopied(false);
    const body = { queue: queue || queues[0]?.id, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    const result = await api<TicketCreated>('/api/analyst/tickets', { body });
    if (!result.ok) return setProblem(err(result.code, result.message));
    setCreated({ name, url: result.data.url });
    setName('');
    setEmail('');
    setPhone('');
  };

  return (
    <form class="card" onSubmit={onSubmit} data-testid="create-link">
      <h2>{t('analyst.createLink.title')}</h2>
      <p class="muted">{t('analyst.createLink.intro')}</p>
      <div class="row">
        <div class="field">
          <label for="link-queue">{t('intake.queue')}</label>
          <select id="link-queue" value={queue || queues[0]?.id} onChange={(e) => setQueue((e.target as HTMLSelectElement).value)}>
            {queues.map((q) => <option key={q.id} value={q.id}>{q.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="link-name">{t('analyst.customerName')}</label>
          <input id="link-name" required maxLength={LIMITS.nameMax} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div class="row">
        <div class="field">
          <label for="link-email">{t('intake.email')} <span class="muted">{t('analyst.optional')}</span></label>
          <input id="link-email" type="email" maxLength={LIMITS.emailMax} value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="link-phone">{t('intake.phone')} <span class="muted">{t('analyst.optional')}</span></label>
          <input id="link-phone" type="tel" maxLength={LIMITS.phoneMax} value={phone} onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
      <button type="submit" class="secondary">{t('analyst.createLink.submit')}</button>
      {created && (
        <div class="created-link" data-testid="created-link">
          <span>{t('analyst.createLink.created', { name: created.name })}</span>
          <input readOnly value={created.url} aria-label={t('analyst.createLink.created', { name: created.name })}
            onFocus={(e) => (e.target as HTMLInputElement).select()} data-testid="created-link-url" />
          <button type="button" class="link-button"
            onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true), () => undefined)}>
            {copied ? t('analyst.createLink.copied') : t('analyst.createLink.copy')}
          </button>
        </div>
      )}
    </form>
  );
}
