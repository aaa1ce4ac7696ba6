import { useEffect, useState } from 'preact/hooks';
import type { AccountRole, AccountView, QueueInfo } from '../../protocol/index.js';
import { api } from '../api.js';
import { Notice } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

function QueuePicker({ queues, selected, onChange, idPrefix }: { queues: QueueInfo[]; selected: string[]; onChange: (q: string[]) => void; idPrefix: string }) {
  return (
    <fieldset class="queue-picker">
      {queues.map((q) => (
        <label key={q.id} for={`${idPrefix}-${q.id}`} class="check">
          <input id={`${idPrefix}-${q.id}`} type="checkbox" checked={selected.includes(q.id)}
            onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...selected, q.id] : selected.filter((s) => s !== q.id))} />
          {q.name}
        </label>
      ))}
    </fieldset>
  );
}

function AccountRow({ account, queues, meId, onSaved, onError }: { account: AccountView; queues: QueueInfo[]; meId: string; onSaved: () => void; onError: (message: string) => void }) {
  const { t, err } = useI18n();
  const [editing, setEditing] = useState(false);
  const [selected, setSelected] = useState(account.queues);
  const [role, setRole] = useState<AccountRole>(account.role);
  const [password, setPassword] = useState('');
  const patch = async (body: Record<string, unknown>) => {
    const result = await api(`/api/admin/accounts/${encodeURIComponent(account.id)}`, { method: 'PATCH', body });
    if (!result.ok) return onError(err(result.code, result.message));
    setEditing(false);
    setPassword('');
    onSaved();
  };
  const resetTotp = async () => {
    if (!confirm(t('admin.totp.confirmReset', { name: account.displayName }))) return;
    await patch({ totpReset: true });
  };
  const remove = async () => {
    if (!confirm(t('admin.confirmDelete', { name: account.displayName }))) return;
    const result = await api(`/api/admin/accounts/${encodeURIComponent(account.id)}`, { method: 'DELETE' });
    if (!result.ok) return onError(err(result.code, result.message));
    onSaved();
  };
  const queueNames = account.queues.map((id) => queues.find((q) => q.id === id)?.name ?? id).join(', ') || '—';
  return (
    <li class="account" data-testid="account" data-username={account.username}>
      <div class="account-head">
        <strong>{account.displayName}</strong> <span class="muted">@{account.username}</span>
        <span class="badge">{t(`admin.role.${account.role}`)}</span>
        {account.disabled && <span class="offline">{t('admin.disabled')}</span>}
        {account.id === meId && <span class="muted">({t('admin.you')})</span>}
        <span class={account.totp ? 'badge' : 'muted'} data-testid="account-totp" data-on={account.totp ? 'true' : 'false'}>
          {account.totp ? t('admin.totp.on') : t('admin.totp.off')}
        </span>
        {account.totpRequired && <span class="badge">{t('admin.totp.required')}</span>}
      </div>
      <div class="muted">{t('admin.queues')}: {queueNames}</div>
      {editing ? (
        <form class="account-edit" onSubmit={(e) => { e.preventDefault(); void patch({ queues: selected, role, ...(password ? { password } : {}) }); }}>
          <QueuePicker queues={queues} selected={selected} onChange={setSelected} idPrefix={`edit-${account.id}`} />
          <div class="row">
            <div class="field">
              <label for={`role-${account.id}`}>{t('admin.role')}</label>
              <select id={`role-${account.id}`} value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as AccountRole)}>
                <option value="analyst">{t('admin.role.analyst')}</option>
                <option value="admin">{t('admin.role.admin')}</option>
              </select>
            </div>
            <div class="field">
              <label for={`pw-${account.id}`}>{t('admin.newPassword')} <span class="muted">{t('analyst.optional')}</span></label>
              <input id={`pw-${account.id}`} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            </div>
          </div>
          <div class="actions compact">
            <button type="submit" class="primary">{t('admin.save')}</button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>{t('tools.files.cancel')}</button>
          </div>
        </form>
      ) : (
        <div class="actions compact">
          <button type="button" class="secondary" onClick={() => setEditing(true)}>{t('admin.edit')}</button>
          <button type="button" class="secondary" onClick={() => void patch({ disabled: !account.disabled })}>
            {account.disabled ? t('admin.enable') : t('admin.disable')}
          </button>
          <label class="check" for={`totp-required-${account.id}`}>
            <input id={`totp-required-${account.id}`} type="checkbox" checked={account.totpRequired} data-testid="totp-require"
              onChange={(e) => void patch({ totpRequired: (e.target as HTMLInputElement).checked })} />
            {t('admin.totp.require')}
          </label>
          {account.totp && <button type="button" class="secondary" onClick={() => void resetTotp()} data-testid="totp-reset">{t('admin.totp.reset')}</button>}
          {account.id !== meId && <button type="button" class="danger" onClick={() => void remove()}>{t('admin.delete')}</button>}
        </div>
      )}
    </li>
  );
}

/** Admins: add analysts, choose their queues, reset passwords, disable or remove accounts. */
export function AccountsPanel({ meId }: { meId: string }) {
  const { t, err } = useI18n();
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [queues, setQueues] = useState<QueueInfo[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'analyst' as AccountRole, queues: [] as string[] });
  const refresh = async () => {
    const [list, qs] = await Promise.all([api<AccountView[]>('/api/admin/accounts'), api<QueueInfo[]>('/api/queues')]);
    if (!list.ok) return setProblem(err(list.code, list.message));
    setAccounts(list.data);
    if (qs.ok) setQueues(qs.data);
  };
  useEffect(() => void refresh(), []);
  const create = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    const result = await api<AccountView>('/api/admin/accounts', { body: form });
    if (!result.ok) return setProblem(err(result.code, result.message));
    setSaved(t('admin.created', { name: result.data.displayName }));
    setForm({ username: '', displayName: '', password: '', role: 'analyst', queues: [] });
    void refresh();
  };
  const set = (key: 'username' | 'displayName' | 'password') => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  return (
    <section class="card" aria-labelledby="accounts-title" data-testid="accounts">
      <h2 id="accounts-title">{t('admin.title')}</h2>
      {problem && <Notice kind="error" testId="accounts-error">{problem}</Notice>}
      {saved && <Notice kind="success">{saved}</Notice>}
      <ul class="accounts">
        {accounts.map((a) => (
          <AccountRow key={a.id} account={a} queues={queues} meId={meId} onSaved={() => { setProblem(null); void refresh(); }} onError={setProblem} />
        ))}
      </ul>
      <form class="panel" onSubmit={create} data-testid="create-account">
        <h3>{t('admin.add')}</h3>
        <div class="row">
          <div class="field"><label for="acc-username">{t('analyst.username')}</label>
            <input id="acc-username" required autocomplete="off" value={form.username} onInput={set('username')} /></div>
          <div class="field"><label for="acc-name">{t('admin.displayName')}</label>
            <input id="acc-name" required value={form.displayName} onInput={set('displayName')} /></div>
        </div>
        <div class="row">
          <div class="field"><label for="acc-password">{t('analyst.password')}</label>
            <input id="acc-password" type="password" required autocomplete="new-password" value={form.password} onInput={set('password')} /></div>
          <div class="field"><label for="acc-role">{t('admin.role')}</label>
            <select id="acc-role" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as AccountRole })}>
              <option value="analyst">{t('admin.role.analyst')}</option>
              <option value="admin">{t('admin.role.admin')}</option>
            </select></div>
        </div>
        <QueuePicker queues={queues} selected={form.queues} onChange={(q) => setForm({ ...form, queues: q })} idPrefix="new" />
        <button type="submit" class="primary">{t('admin.create')}</button>
      </form>
    </section>
  );
}
