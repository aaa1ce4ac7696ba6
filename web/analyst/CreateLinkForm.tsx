import { useEffect, useState } from 'preact/hooks';
import { LIMITS, type PhoneCode, type QueueInfo, type TicketCreated } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { spacedCode } from '../phone-code.js';

/** For a customer on the phone: make the ticket here, read or send them the link. */
export function CreateLinkForm({ queues }: { queues: QueueInfo[] }) {
  const { t, err } = useI18n();
  const [queue, setQueue] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [created, setCreated] = useState<{ name: string; url: string; ticketId: string; code: PhoneCode | null } | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    setCopied(false);
    const body = { queue: queue || queues[0]?.id, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    const result = await api<TicketCreated>('/api/analyst/tickets', { body });
    if (!result.ok) return setProblem(err(result.code, result.message));
    setCreated({ name, url: result.data.url, ticketId: result.data.ticketId, code: result.data.code ?? null });
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
          {created.code && (
            <PhoneCodeView name={created.name} url={created.url} ticketId={created.ticketId} code={created.code}
              onCode={(code) => setCreated({ ...created, code })} />
          )}
        </div>
      )}
    </form>
  );
}


/** The code to read to the caller, large, with how long it works and a new one once it expired. */
function PhoneCodeView({ name, url, ticketId, code, onCode }: { name: string; url: string; ticketId: string; code: PhoneCode; onCode: (code: PhoneCode) => void }) {
  const { t, err, lang } = useI18n();
  const [expired, setExpired] = useState(code.expiresAt <= Date.now());
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setExpired(code.expiresAt <= Date.now());
    const timer = setTimeout(() => setExpired(true), Math.max(0, code.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [code.expiresAt]);
  const renew = async () => {
    setProblem(null);
    const result = await api<PhoneCode>(`/api/analyst/tickets/${encodeURIComponent(ticketId)}/code`, { method: 'POST', body: {} });
    if (!result.ok) return setProblem(err(result.code, result.message));
    onCode(result.data);
  };
  const until = new Date(code.expiresAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  return (
    <div class="phone-code" data-testid="phone-code" data-code={expired ? undefined : code.code}>
      <span>{t('analyst.createLink.code', { portal: new URL(url).host })}</span>
      <output class={expired ? 'phone-code-digits expired' : 'phone-code-digits'} aria-label={t('analyst.createLink.codeLabel', { name, digits: code.code.split('').join(' ') })} data-testid="phone-code-digits">
        {spacedCode(code.code)}
      </output>
      <span class="muted" data-testid="phone-code-validity">{expired ? t('analyst.createLink.codeExpired') : t('analyst.createLink.codeValid', { time: until })}</span>
      <button type="button" class="link-button" onClick={() => void renew()} data-testid="phone-code-new">{t('analyst.createLink.newCode')}</button>
      {problem && <Notice kind="error">{problem}</Notice>}
    </div>
  );
}
