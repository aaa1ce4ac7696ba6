import { ERRORS, type ErrorCode } from '../protocol/index.js';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; code: ErrorCode | 'network'; message: string };

/** fetch wrapper that always resolves: a typed body, or the server's error code and message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, code: 'network', message: '' };
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: body as T };
  const code = errorCodeOf(body);
  return code !== 'server.internal' ? { ok: false, code, message: body.error.message } : { ok: false, code, message: ERRORS['server.internal'] };
}

/** The error code of a refusal's body (`{ error: { code } }`); server.internal for anything else. */
export function errorCodeOf(body: unknown): ErrorCode {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' && code in ERRORS ? (code as ErrorCode) : 'server.internal';
}
