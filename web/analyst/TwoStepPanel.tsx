import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignedInAnalyst, TotpEnabled, TotpSetup } from '../../protocol/index.js';
import { api } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Notice } from '../ui/components.js';
import { QrCode } from '../ui/QrCode.js';
import { saveBlob } from '../ui/save-blob.js';

type Step = { kind: 'idle' } | { kind: 'password' } | { kind: 'scan'; setup: TotpSetup } | { kind: 'recovery'; codes: string[] } | { kind: 'turnOff' };

/** The key as an app's manual entry shows it: groups of four. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Two-step sign-in for one's own account: set it up (password again, scan the QR code or type the
 * key, confirm with the app's first code, keep the recovery codes), or turn it off with a code.
 * `required`: the admin requires it and it is not set up yet (the console waits for it).
 */
export function TwoStepPanel({ me, required = false, onChanged }: { me: SignedInAnalyst & { username?: string }; required?: boolean; onChanged: () => void }) {
  const { t, err } = useI18n();
  const [step, setStep] = useState<Step>(required ? { kind: 'password' } : { kind: 'idle' });
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** On or off as this panel last made it (the signed-in analyst above refreshes a moment later). */
  const [on, setOn] = useState(me.totp);
  useEffect(() => setOn(me.totp), [me.totp]);
  const focusRef = useRef<HTMLInputElement | HTMLHeadingElement>(null);
  useEffect(() => focusRef.current?.focus(), [step.kind]);

  const go = (next: Step) => {
    setProblem(null);
    setCode('');
    setStep(next);
  };
  const start = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<TotpSetup>('/api/me/totp', { body: { password } });
    setBusy(false);
    if (!result.ok) return setProblem(err(result.code, result.message));
    setPassword('');
    go({ kind: 'scan', setup: result.data });
  };
  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<TotpEnabled>('/api/me/totp/confirm', { body: { code: code.trim() } });
    setBusy(false);
    if (!result.ok) return setProblem(err(result.code, result.message));
    setOn(true);
    go({ kind: 'recovery', codes: result.data.recoveryCodes });
  };
  const turnOff = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<SignedInAnalyst>('/api/me/totp', { method: 'DELETE', body: { code: code.trim() } });
    setBusy(false);
    if (!result.ok) return setProblem(err(result.code, result.message));
    setOn(false);
    go({ kind: 'idle' });
    onChanged();
  };
  const download = (codes: string[]) =>
    saveBlob(new Blob([`${t('totp.fileHeader', { name: me.displayName })}\n\n${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' }), 'relaydesk-recovery-codes.txt');

  const cancel = !required && (
    <button type="button" class="secondary" onClick={() => go({ kind: 'idle' })}>{t('totp.cancel')}</button>
  );
  return (
    <section class="card narrow" aria-labelledby="totp-title" data-testid="two-step">
      <h2 id="totp-title" tabIndex={-1} ref={step.kind === 'idle' || step.kind === 'recovery' ? (focusRef as never) : undefined}>
        {step.kind === 'recovery' ? t('totp.recoveryTitle') : t('totp.title')}
      </h2>
      {required && step.kind !== 'recovery' && <Notice kind="info" testId="totp-required">{t('totp.requiredByAdmin')}</Notice>}
      {problem && <Notice kind="error" testId="totp-error">{problem}</Notice>}

      {step.kind === 'idle' && (
        <>
          <p>{t('totp.intro')}</p>
          <p data-testid="totp-status" data-on={on ? 'true' : 'false'}><strong>{on ? t('totp.statusOn') : t('totp.statusOff')}</strong></p>
          <div class="actions compact">
            {on
              ? <button type="button" class="secondary" onClick={() => go({ kind: 'turnOff' })}>{t('totp.turnOff')}</button>
              : <button type="button" class="primary" onClick={() => go({ kind: 'password' })} data-testid="totp-start">{t('totp.start')}</button>}
          </div>
        </>
      )}

      {step.kind === 'password' && (
        <form onSubmit={start}>
          <p>{t('totp.intro')}</p>
          <div class="field">
            <label for="totp-password">{t('totp.passwordAgain')}</label>
            <input id="totp-password" type="password" autocomplete="current-password" required value={password} ref={focusRef as never}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </div>
          <div class="actions compact">
            <button type="submit" class="primary" disabled={busy || !password}>{t('totp.continue')}</button>
            {cancel}
          </div>
        </form>
      )}

      {step.kind === 'scan' && (
        <form onSubmit={confirm}>
          <p>{t('totp.scan')}</p>
          <div class="totp-scan">
            <QrCode text={step.setup.uri} label={t('totp.qrLabel')} testId="totp-qr" />
            <p>
              {t('totp.key')}: <code class="totp-key" data-testid="totp-key" data-secret={step.setup.secret}>{grouped(step.setup.secret)}</code>
            </p>
          </div>
          <div class="field">
            <label for="totp-first-code">{t('totp.firstCode')}</label>
            <input id="totp-first-code" inputMode="numeric" autocomplete="one-time-code" maxLength={8} required value={code} ref={focusRef as never}
              onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          </div>
          <p class="muted">{t('totp.expires', { time: new Date(step.setup.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) })}</p>
          <div class="actions compact">
            <button type="submit" class="primary" disabled={busy || !code.trim()} data-testid="totp-turn-on">{t('totp.turnOn')}</button>
            {cancel}
          </div>
        </form>
      )}

      {step.kind === 'recovery' && (
        <>
          <Notice kind="success">{t('totp.statusOn')}</Notice>
          <p>{t('totp.recoveryIntro')}</p>
          <ul class="recovery-codes" data-testid="recovery-codes">
            {step.codes.map((c) => <li key={c}><code>{c}</code></li>)}
          </ul>
          <div class="actions compact">
            <button type="button" class="secondary" onClick={() => download(step.codes)} data-testid="recovery-download">{t('totp.download')}</button>
            <button type="button" class="primary" onClick={() => { go({ kind: 'idle' }); onChanged(); }} data-testid="recovery-saved">{t('totp.saved')}</button>
          </div>
        </>
      )}

      {step.kind === 'turnOff' && (
        <form onSubmit={turnOff}>
          <div class="field">
            <label for="totp-off-code">{t('totp.turnOffCode')}</label>
            <input id="totp-off-code" autocomplete="one-time-code" maxLength={40} required value={code} ref={focusRef as never}
              onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          </div>
          <div class="actions compact">
            <button type="submit" class="danger" disabled={busy || !code.trim()}>{t('totp.turnOff')}</button>
            {cancel}
          </div>
        </form>
      )}
    </section>
  );
}
