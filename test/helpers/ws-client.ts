import WebSocket from 'ws';
import { singleQueueChange, type ClientFrame, type ServerFrame } from '../../protocol/index.js';
import { signIn } from './api-client.js';

type Frame = ServerFrame;

/** A real WebSocket client that records every frame, so a test can wait for the next one of a type. */
export class TestClient {
  readonly frames: Frame[] = [];
  private readonly waiters: { type: string; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      // A batch of queue changes (queue.changes) is recorded, then each of its changes as the frame
      // it stands for, in order: the console applies it so, and a test waits for a ticket's
      // upsert however the server grouped it.
      for (const one of [frame, ...(frame.type === 'queue.changes' ? frame.changes.map(singleQueueChange) : [])]) this.record(one);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  private record(frame: Frame): void {
    this.frames.push(frame);
    for (const waiter of [...this.waiters]) {
      if (waiter.type === frame.type) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  }

  static connect(url: string, opts: { token?: string; cookie?: string; origin?: string } = {}): Promise<TestClient> {
    const target = opts.token ? `${url}?token=${encodeURIComponent(opts.token)}` : url;
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.origin) headers.origin = opts.origin;
    const socket = new WebSocket(target, { headers });
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      socket.once('error', reject);
    });
  }

  /** Resolves with the first frame of `type` not yet consumed by an earlier next() call. */
  next<T extends Frame['type']>(type: T, timeoutMs = 3000): Promise<Extract<Frame, { type: T }>> {
    const consumed = this.consumed.get(type) ?? 0;
    const matching = this.frames.filter((f) => f.type === type);
    if (matching.length > consumed) {
      this.consumed.set(type, consumed + 1);
      return Promise.resolve(matching[consumed] as Extract<Frame, { type: T }>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${type}" frame within ${timeoutMs} ms; got: ${this.frames.map((f) => f.type).join(', ')}`)), timeoutMs);
      this.waiters.push({
        type,
        resolve: (frame) => {
          clearTimeout(timer);
          this.consumed.set(type, (this.consumed.get(type) ?? 0) + 1);
          resolve(frame as Extract<Frame, { type: T }>);
        },
      });
    });
  }

  private readonly consumed = new Map<string, number>();

  /** Consumes frames of `type` in order until one matches `predicate`, and returns it. */
  async until<T extends Frame['type']>(type: T, predicate: (frame: Extract<Frame, { type: T }>) => boolean, timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = await this.next(type, Math.max(1, deadline - Date.now()));
      if (predicate(frame)) return frame;
    }
  }

  /** Waits a moment and returns the frames of `type` that arrived and were not consumed. */
  async pending<T extends Frame['type']>(type: T, settleMs = 150): Promise<Extract<Frame, { type: T }>[]> {
    await new Promise((r) => setTimeout(r, settleMs));
    const consumed = this.consumed.get(type) ?? 0;
    return this.frames.filter((f) => f.type === type).slice(consumed) as Extract<Frame, { type: T }>[];
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}

/** Signs in over HTTP and returns the login cookie header. */
/** Signs in (helpers/api-client.ts) and returns the login cookie; a refused sign-in fails the test. */
export async function login(baseUrl: string, username: string, password = `${username}-password`): Promise<string> {
  const { status, cookie } = await signIn(baseUrl, username, password);
  if (status !== 200) throw new Error(`login failed: ${status}`);
  return cookie;
}

export async function createTicket(baseUrl: string, body: Record<string, unknown> = {}) {
  const res = await fetch(`${baseUrl}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '+33 1 23 45 67 89', ...body }),
  });
  if (res.status !== 201) throw new Error(`ticket creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { ticketId: string; token: string; url: string };
}

/** An analyst (alice unless told) who took a fresh ticket on `server`; with `consent`, the customer allowed it. */
export async function takenSession(server: { url: string; wsUrl: string }, consent: boolean, username = 'alice') {
  const cookie = await login(server.url, username);
  const analyst = await TestClient.connect(server.wsUrl, { cookie });
  await analyst.next('queue.snapshot');
  const ticket = await createTicket(server.url);
  const customer = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  analyst.send({ type: 'ticket.take', ticketId: ticket.ticketId });
  await analyst.next('session.started');
  if (consent) {
    customer.send({ type: 'consent.reply', allow: true });
    await analyst.until('session.state', (f) => f.state === 'consented');
  }
  return { cookie, analyst, customer, ticket };
}

/** Tries a WebSocket upgrade and returns how the server answered it (101 when it upgraded), with the refusal's body. */
export function upgradeAnswer(url: string, headers: Record<string, string> = {}): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve({ status: 101 });
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    socket.once('error', (err) => !socket.readyState || reject(err));
  });
}
