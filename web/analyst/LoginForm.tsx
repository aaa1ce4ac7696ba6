import type { LoginBody, SignedInAnalyst } from '../../protocol/index.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, err } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** The account has two-step sign-in: the password was right, the code is asked for next. */
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (askCode) codeRef.current?.focus();
  }, [askCode]);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const body: LoginBody = { username, password, ...(askCode ? { code: code.trim() } : {}) };
    const result = await api<SignedInAnalyst>('/api/login', { body });
    setBusy(false);
    if (!result.ok && result.code === 'auth.codeRequired') return setAskCode(true);
    if (!result.ok) {
      if (askCode) codeRef.current?.select();
      return setProblem(err(result.code, result.message));
    }
    onSignedIn();
  };

  return (
    <form class="card narrow" onSubmit={onSubmit} data-testid="login-form">
      <h1>{t('analyst.title')}</h1>
      <div class="field">
        <label for="login-username">{t('analyst.username')}</label>
        <input id="login-username" name="username" autocomplete="username" required value={username}
          onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="login-password">{t('analyst.password')}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      </div>
      {askCode && (
        <div class="field">
          <Notice kind="info" testId="code-asked">{t('analyst.codeAsked')}</Notice>
          <label for="login-code">{t('analyst.code')}</label>
          <input id="login-code" name="code" ref={codeRef} inputMode="numeric" autocomplete="one-time-code" maxLength={40} required value={code}
            aria-describedby="login-code-hint" onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          <span class="muted" id="login-code-hint">{t('analyst.codeHint')}</span>
        </div>
      )}
      {problem && <Notice kind="error">{problem}</Notice>}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('analyst.signingIn') : t('analyst.signIn')}
      </button>
    </form>
  );
}
