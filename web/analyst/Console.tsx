import { Notice, PageHeader } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Emitter } from '../emitter.js';
import { isTyping, shortcutOf } from './shortcuts.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import type { ShortcutBus } from './RemoteViewer.js';
import { AccountsPanel } from './AccountsPanel.js';
import { AlertsPanel } from './AlertsPanel.js';
import { SupervisorPanel } from './SupervisorPanel.js';
import { useTicketAlerts } from './use-ticket-alerts.js';
import { AnalystSession } from './AnalystSession.js';
import { CreateLinkForm } from './CreateLinkForm.js';
import { QueueList } from './QueueList.js';
import { TwoStepPanel } from './TwoStepPanel.js';
import type { SignedInAnalyst } from '../../protocol/index.js';
import { useAnalystConsole } from './use-analyst-console.js';

export function Console({ me, onSignOut, onSignedOut, onAccountChanged }: { me: SignedInAnalyst; onSignOut: () => void; onSignedOut: () => void; onAccountChanged: () => void }) {
  const { t, err } = useI18n();
  const name = me.displayName;
  const [tab, setTab] = useState<'queues' | 'overview' | 'accounts' | 'security'>('queues');
  const tabs = me.role === 'admin' ? (['queues', 'overview', 'accounts', 'security'] as const) : (['queues', 'security'] as const);
  const console = useAnalystConsole(onSignedOut);
  const inSession = console.session !== null && console.session.state !== 'ended';
  const alerts = useTicketAlerts(console.tickets, console.queues);
  const [help, setHelp] = useState(false);
  const [said, setSaid] = useState('');
  const shortcuts = useRef<ShortcutBus>(new Emitter()).current;
  const live = useRef({ console, inSession });
  live.current = { console, inSession };

  // The console's keyboard shortcuts (shortcuts.ts). Listened to before anything else on the page,
  // so they work while the remote screen has the keyboard; what a shortcut means in a session is
  // the session's to do (AnalystSession, RemoteViewer).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const focused = document.activeElement;
      const controlling = focused?.closest?.('.remote-screen.controlling') != null;
      const action = shortcutOf(event, { typing: isTyping(focused), controlling });
      if (!action) return;
      // Not stopped: the remote screen's own listener sees the key and keeps it (and its modifiers) from the customer.
      event.preventDefault();
      if (action === 'help') return setHelp(true);
      if (action === 'takeOldest') {
        const { console: now, inSession: busy } = live.current;
        if (busy) return setSaid(t('shortcuts.said.busy'));
        const oldest = now.tickets.find((ticket) => ticket.customerOnline);
        if (!oldest) return setSaid(t('shortcuts.said.noOne'));
        setSaid(t('shortcuts.said.taking', { name: oldest.name }));
        return now.take(oldest.id);
      }
      shortcuts.emit('action', action);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  return (
    <>
      <PageHeader subtitle={t('analyst.title')}>
        <span class="muted">{t('analyst.signedInAs', { name })}</span>
        <label class="status-pick">
          <span class="visually-hidden">{t('analyst.status')}</span>
          <select value={console.status ?? 'available'} disabled={console.status === null} data-testid="analyst-status" data-status={console.status ?? ''}
            onChange={(e) => console.setStatus((e.target as HTMLSelectElement).value as 'available' | 'away')}>
            <option value="available">{t('analyst.status.available')}</option>
            <option value="away">{t('analyst.status.away')}</option>
          </select>
        </label>
        <button type="button" class="link-button" onClick={onSignOut}>{t('analyst.signOut')}</button>
      </PageHeader>
      <main class="container wide">
        <p class="visually-hidden" role="status" data-testid="shortcut-said">{said}</p>
        {help && <ShortcutHelp onClose={() => setHelp(false)} />}
        {console.replaced && (
          <div class="card" data-testid="replaced">
            <Notice kind="info">{t('replaced.analyst')}</Notice>
            <button type="button" class="primary" onClick={() => location.reload()} data-testid="use-this-tab">{t('replaced.useHere')}</button>
          </div>
        )}
        {console.socket === 'closed' && !console.replaced && <Notice kind="info">{t('analyst.connection.lost')}</Notice>}
        {console.notice && (
          <Notice kind="error" testId="analyst-notice">
            {err(console.notice)}{' '}
            <button type="button" class="link-button" onClick={console.dismissNotice} aria-label={t('common.dismiss')}>×</button>
          </Notice>
        )}
        {console.session && (
          <AnalystSession session={console.session} stream={console.remoteStream} peer={console.peer} sharing={console.sharing} customerPresent={console.customerPresent}
            onEnd={console.endSession} onClose={console.closeSession} onRoute={console.reportRoute} shortcuts={shortcuts} onHelp={() => setHelp(true)} onHandOver={console.handOver} />
        )}
        {!inSession && (
          <nav class="tabs" aria-label={t('analyst.title')}>
            {tabs.map((id) => (
              <button key={id} type="button" class={tab === id ? 'tab active' : 'tab'} aria-pressed={tab === id} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
                {t(`admin.tab.${id}`)}
              </button>
            ))}
          </nav>
        )}
        {!inSession && tab === 'overview' && <SupervisorPanel />}
        {!inSession && tab === 'accounts' && <AccountsPanel meId={me.id} />}
        {!inSession && tab === 'security' && <TwoStepPanel me={me} onChanged={onAccountChanged} />}
        {!inSession && tab === 'queues' && (
          <div class="columns">
            <QueueList meId={me.id} queues={console.queues} tickets={console.tickets} team={console.team} clockOffset={console.clockOffset}
              onTake={console.take} disabled={console.socket !== 'open'} />
            <div class="stack">
              <CreateLinkForm queues={console.queues} />
              <AlertsPanel alerts={alerts} />
            </div>
          </div>
        )}
      </main>
    </>
  );
}
