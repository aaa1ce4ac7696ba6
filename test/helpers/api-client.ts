import { request } from 'node:https';

/** Signs in over the HTTP API; the login cookie comes back for the next calls. */
export async function signIn(base: string, username: string, password: string): Promise<{ status: number; cookie: string }> {
  const response = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  return { status: response.status, cookie };
}

/** An admin creates an analyst serving every default queue; resolves to the HTTP status. */
export async function createAnalyst(base: string, cookie: string, username: string, password: string): Promise<number> {
  const response = await fetch(`${base}/api/admin/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ username, displayName: username, password, role: 'analyst', queues: ['general', 'printers'] }),
  });
  return response.status;
}

export async function readyStatus(base: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
  return { status: response.status, body: await response.text() };
}

/**
 * A request through the public port exactly as written (fetch() and browsers would normalise some
 * spellings of a path first), with the test certificate accepted.
 */
export function fetchThroughProxy(path: string, bearer?: string, port = 443, host = 'support.test'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, servername: host, path, method: 'GET', rejectUnauthorized: false, headers: { host, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
