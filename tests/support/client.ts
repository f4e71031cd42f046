import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A small browser stand-in for HTTP tests: keeps cookies, finds the CSRF token in the
 * last page, and never follows redirects (tests assert them).
 */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  /** the body as bytes, and the raw header lines, for file downloads */
  bytes: Buffer;
  rawHeaders: string[];
}

/** For an https:// address: the certificate authority to trust (a test's throwaway certificate). */
export interface Tls {
  ca?: string | Buffer;
}

/**
 * node:http rather than fetch: fetch may not send headers a browser controls itself
 * (Origin, Sec-Fetch-Site), and the tests need to forge exactly those.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string | Buffer, tls: Tls = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, item);
        }
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: h, text: bytes.toString('utf8'), location: res.headers.location ?? null, bytes, rawHeaders: res.rawHeaders });
      });
      res.on('error', reject);
    };
    const req = url.startsWith('https:') ? httpsRequest(url, { method, headers, ...tls }, onResponse) : httpRequest(url, { method, headers }, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

export type Fields = Record<string, string | string[]>;

export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(
    readonly base: string,
    readonly tls: Tls = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
    const res = await rawRequest(this.base + path, method, { cookie: this.cookieHeader(), ...init.headers }, init.body, this.tls);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = res.text;
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1];
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  /** A form POST carrying the CSRF token, as the page's form would send it. */
  post(path: string, fields: Fields = {}, headers: Record<string, string> = {}): Promise<Reply> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: this.csrf, ...fields })) {
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    return this.request('POST', path, {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** The visible text of the last page, tags stripped, for "the user sees …" assertions. */
  static visible(html: string): string {
    return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
  }
}

export const PASSWORD = 'violet-Harbor-42';

/** Signs up (and so logs in) a new user; returns the client. */
export async function signUp(base: string, loginId: string, password = PASSWORD, tls: Tls = {}): Promise<Client> {
  const client = new Client(base, tls);
  await client.get('/signup');
  const res = await client.post('/signup', { login_id: loginId, password, password_confirm: password });
  if (res.status !== 303) throw new Error(`sign-up of ${loginId} failed: ${res.status} ${Client.visible(res.text).slice(0, 300)}`);
  return client;
}

export async function logIn(base: string, loginId: string, password = PASSWORD): Promise<Client> {
  const client = new Client(base);
  await client.get('/login');
  const res = await client.post('/login', { login_id: loginId, password });
  if (res.status !== 303) throw new Error(`log-in of ${loginId} failed: ${res.status}`);
  return client;
}

/** Two users who are paired: a sent the request, b accepted it. */
export async function pairUp(base: string, a: string, b: string, tls: Tls = {}): Promise<[Client, Client]> {
  const ca = await signUp(base, a, PASSWORD, tls);
  const cb = await signUp(base, b, PASSWORD, tls);
  await ca.get('/pair');
  const sent = await ca.post('/pair/requests', { login_id: b });
  if (sent.status !== 303) throw new Error(`pair request failed: ${sent.status}`);
  const page = await cb.get('/pair');
  const id = /\/pair\/requests\/(\d+)\/accept/.exec(page.text)?.[1];
  const accepted = await cb.post(`/pair/requests/${id}/accept`);
  if (accepted.status !== 303) throw new Error(`accept failed: ${accepted.status}`);
  return [ca, cb];
}
