import { useState } from 'preact/hooks';
import type { CodeRedeemed } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { codeDigits } from '../phone-code.js';


/** "I have a code": the 6 digits an analyst read on the phone open their ticket's page. */
export function CodeForm() {
  const { t, err } = useI18n();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const code = codeDigits(typed);
    if (!/^\d{6}$/.test(code)) {
      setProblem(t('code.incomplete'));
      return document.getElementById('code-digits')?.focus();
    }
    setProblem(null);
    setChecking(true);
    const result = await api<CodeRedeemed>('/api/codes/redeem', { body: { code } });
    if (!result.ok) {
      setChecking(false);
      setProblem(err(result.code, result.message));
      return document.getElementById('code-digits')?.focus();
    }
    location.assign(new URL(result.data.url, location.href).pathname);
  };

  return (
    <form class="card code-form" onSubmit={onSubmit} noValidate data-testid="code-form">
      <h2>{t('code.title')}</h2>
      <p class="muted">{t('code.intro')}</p>
      <div class="field">
        <label for="code-digits">{t('code.label')}</label>
        <input
          id="code-digits"
          class="code-input"
          inputMode="numeric"
          autocomplete="one-time-code"
          maxLength={9}
          value={typed}
          aria-invalid={problem ? 'true' : 'false'}
          aria-describedby={problem ? 'code-problem' : undefined}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
          data-testid="code-digits"
        />
      </div>
      {problem && <Notice kind="error" testId="code-problem" id="code-problem">{problem}</Notice>}
      <button type="submit" class="primary" disabled={checking} data-testid="code-submit">
        {checking ? t('code.checking') : t('code.submit')}
      </button>
    </form>
  );
}
