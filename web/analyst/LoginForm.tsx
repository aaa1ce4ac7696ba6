import type { LoginBody, SignedInAnalyst } from '../../protocol/index.js';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, err } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const result = await api<SignedInAnalyst>('/api/login', { body: { username, password } satisfies LoginBody });
    setBusy(false);
    if (!result.ok) return setProblem(err(result.code, result.message));
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
      {problem && <Notice kind="error">{problem}</Notice>}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('analyst.signingIn') : t('analyst.signIn')}
      </button>
    </form>
  );
}
