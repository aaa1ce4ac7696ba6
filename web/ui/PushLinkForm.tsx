import { useState } from 'preact/hooks';
import { PEER_LIMITS } from '../../protocol/index.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';

/** Analyst side: send the customer a link (documentation, a driver); they decide whether to open it. */
export function PushLinkForm({ tools }: { tools: SessionTools }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const result = tools.pushUrl(url, label);
    setProblem(result);
    if (!result) {
      setUrl('');
      setLabel('');
    }
  };
  return (
    <form class="panel" onSubmit={onSubmit} data-testid="push-link">
      <h3>{t('tools.link.title')}</h3>
      <div class="field">
        <label for="push-url">{t('tools.link.url')}</label>
        <input id="push-url" type="url" required maxLength={PEER_LIMITS.urlMax} value={url} placeholder="https://"
          aria-invalid={problem ? 'true' : 'false'} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="push-label">{t('tools.link.label')}</label>
        <input id="push-label" maxLength={PEER_LIMITS.labelMax} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
      </div>
      {problem && <p class="field-error" role="alert" data-testid="push-link-error">{t(`tools.link.problem.${problem}` as StringKey)}</p>}
      <button type="submit" class="secondary">{t('tools.link.send')}</button>
    </form>
  );
}
