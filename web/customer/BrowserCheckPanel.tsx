import { checkBrowser, isReady } from './browser-check.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

/** Says plainly, before the customer asks for help, whether this browser can do the session. */
export function BrowserCheckPanel() {
  const { t } = useI18n();
  const check = checkBrowser();
  if (isReady(check)) return <Notice kind="success" testId="browser-check">{t('check.ok')}</Notice>;
  return (
    <Notice kind="error" testId="browser-check">
      <strong>{t('check.title')}</strong>
      <ul>
        {!check.webrtc && <li>{t('check.webrtc')}</li>}
        {!check.screenCapture && <li>{t('check.screen')}</li>}
        {!check.secureContext && <li>{t('check.secure')}</li>}
        {!check.websocket && <li>{t('check.websocket')}</li>}
      </ul>
    </Notice>
  );
}
