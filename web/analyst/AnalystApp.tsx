import type { SignedInAnalyst } from '../../protocol/index.js';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Notice, PageHeader } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { Console } from './Console.js';
import { LoginForm } from './LoginForm.js';
import { TwoStepPanel } from './TwoStepPanel.js';

/** Who is signed in (GET /api/me), as the protocol defines it. */
type Me = SignedInAnalyst;

export function AnalystApp() {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(() => {
    api<Me>('/api/me').then((result) => setMe(result.ok ? result.data : null));
  }, []);
  useEffect(refresh, [refresh]);
  const signOut = async () => {
    await api('/api/logout', { method: 'POST', body: {} });
    setMe(null);
  };
  /** The server ended this sign-in (the account's password, role or queues changed, or it was disabled). */
  const [ended, setEnded] = useState(false);
  const signedOut = useCallback(() => {
    setEnded(true);
    setMe(null);
  }, []);

  if (me === undefined) return <p aria-busy="true">{t('common.loading')}</p>;
  if (me === null) {
    return (
      <>
        <PageHeader subtitle={t('analyst.title')} />
        <main class="container">
          {ended && <Notice kind="info" testId="signin-ended">{t('analyst.signinEnded')}</Notice>}
          <LoginForm onSignedIn={() => (setEnded(false), refresh())} />
        </main>
      </>
    );
  }
  // The admin requires two-step sign-in and it is not set up: nothing else until it is.
  if (me.totpSetupRequired) {
    return (
      <>
        <PageHeader subtitle={t('analyst.title')}>
          <button type="button" class="link-button" onClick={signOut}>{t('analyst.signOut')}</button>
        </PageHeader>
        <main class="container">
          <TwoStepPanel me={me} required onChanged={refresh} />
        </main>
      </>
    );
  }
  return <Console me={me} onSignOut={signOut} onSignedOut={signedOut} onAccountChanged={refresh} />;
}
