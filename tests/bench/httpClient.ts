import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { PROXY_HEADERS } from './appMode';

export interface Answer {
  status: number;
  text: string;
  /** request written → last byte of the answer, ms */
  elapsed: number;
}

export function newAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

export function send(
  agent: Agent,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 30_000,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method, agent, headers: { ...PROXY_HEADERS, ...headers }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), elapsed: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The chat's send, as htmx posts it from the composer. */
export function postMessage(agent: Agent, base: string, cookie: string, csrf: string, body: string, clientId: string): Promise<Answer> {
  const form = new URLSearchParams({ body, client_id: clientId, _csrf: csrf }).toString();
  return send(agent, `${base}/chat/messages`, 'POST', {
    cookie,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(form)),
    'hx-request': 'true',
  }, form);
}
