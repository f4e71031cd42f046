import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { bareErrorPage, createViews } from './render';
import { SECURITY_HEADERS } from './security';

function response(status: string, headers: Record<string, string | number>, body = ''): string {
  const lines = Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * The app's HTTP server. A request whose headers are too large for Node to read (a link
 * of over 16 KB, or too many cookies) never reaches Koa; it gets our own page saying so,
 * in place of Node's bare 431. Other unreadable requests get Node's usual answers.
 */
export function createHttpServer(app: Koa): Server {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000; // longer than PaaS routers' idle timeouts
  const tooLong = response('431 Request Header Fields Too Large', { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, bareErrorPage(createViews(), 431, 'error.linkTooLong'));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (socket.writable && !socket._httpMessage?.headersSent) {
      if (err.code === 'HPE_HEADER_OVERFLOW') socket.write(tooLong);
      else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.write(response('408 Request Timeout', {}));
      else if (err.code !== 'ECONNRESET') socket.write(response('400 Bad Request', {}));
    }
    socket.destroy(err);
  });
  return server;
}
