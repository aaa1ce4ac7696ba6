import { PageHeader } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { BrowserCheckPanel } from './BrowserCheckPanel.js';
import { CodeForm } from './CodeForm.js';
import { IntakeForm } from './IntakeForm.js';
import { TicketPage } from './TicketPage.js';

export function CustomerApp() {
  const { t } = useI18n();
  const token = /^\/s\/([A-Za-z0-9_-]+)$/.exec(location.pathname)?.[1];
  return (
    <>
      <PageHeader subtitle={t('app.tagline')} />
      <main class="container">
        <BrowserCheckPanel />
        {token ? <TicketPage token={token} /> : (
          <>
            <CodeForm />
            <IntakeForm />
          </>
        )}
      </main>
    </>
  );
}
