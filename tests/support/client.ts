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

/** How a request goes out: from which loopback address, and for https:// the certificate authority to trust. */
export interface Via {
  /** the local address to send from (127.0.0.2, …) */
  from?: string;
  /** a test's throwaway certificate authority */
  ca?: string | Buffer;
}

/**
 * node:http rather than fetch: fetch may not send headers a browser controls itself
 * (Origin, Sec-Fetch-Site), and the tests need to forge exactly those.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string | Buffer, via: Via = {}): Promise<Reply> {
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
    const options = { method, headers, localAddress: via.from };
    const req = url.startsWith('https:') ? httpsRequest(url, { ...options, ca: via.ca }, onResponse) : httpRequest(url, options, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

export type Fields = Record<string, string | string[]>;

export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  /**
   * `via.from`: the address the requests come from, another loopback one (127.0.0.2, …:
   * all of 127.0.0.0/8 is this machine), so the app sees distinct clients as it would in
   * the wild; `via.ca` for an https:// base with a test's throwaway certificate.
   */
  constructor(
    readonly base: string,
    readonly via: Via = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
    const res = await rawRequest(this.base + path, method, { cookie: this.cookieHeader(), ...init.headers }, init.body, this.via);
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
    return html.replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
  }
}

export const PASSWORD = 'violet-Harbor-42';

/** Signs up (and so logs in) a new user; returns the client. */
export async function signUp(base: string, loginId: string, password = PASSWORD, via: Via = {}): Promise<Client> {
  const client = new Client(base, via);
  await client.get('/signup');
  const res = await client.post('/signup', { login_id: loginId, password, password_confirm: password });
  if (res.status !== 303) throw new Error(`sign-up of ${loginId} failed: ${res.status} ${Client.visible(res.text).slice(0, 300)}`);
  return client;
}

export async function logIn(base: string, loginId: string, password = PASSWORD, from?: string): Promise<Client> {
  const client = new Client(base, { from });
  await client.get('/login');
  const res = await client.post('/login', { login_id: loginId, password });
  if (res.status !== 303) throw new Error(`log-in of ${loginId} failed: ${res.status}`);
  return client;
}

/** Two users who are paired: a sent the request, b accepted it. */
export async function pairUp(base: string, a: string, b: string, via: Via = {}): Promise<[Client, Client]> {
  const ca = await signUp(base, a, PASSWORD, via);
  const cb = await signUp(base, b, PASSWORD, via);
  await ca.get('/pair');
  const sent = await ca.post('/pair/requests', { login_id: b });
  if (sent.status !== 303) throw new Error(`pair request failed: ${sent.status}`);
  const page = await cb.get('/pair');
  const id = /\/pair\/requests\/(\d+)\/accept/.exec(page.text)?.[1];
  const accepted = await cb.post(`/pair/requests/${id}/accept`);
  if (accepted.status !== 303) throw new Error(`accept failed: ${accepted.status}`);
  return [ca, cb];
}
