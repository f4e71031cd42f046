// The platform's router, played by Debian's nginx: TLS terminated with a throwaway
// certificate, requests spread round-robin over the web processes (no stickiness), the
// response buffering nginx has by default, and the 55 s idle timeout of PaaS routers.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { commandPath } from '../support/services';
import { mustRun, sleep } from './paas';

/** A certificate for 127.0.0.1 made for this run, and its key (PEM). */
export async function throwawayCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  await mustRun(
    `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 ` +
      `-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout ${key} -out ${cert}`,
    { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 30_000 },
  );
  return { cert, key };
}

export interface Proxy {
  /** https://127.0.0.1:PORT */
  https: string;
  /** http://127.0.0.1:PORT, the plain-HTTP side a browser reaches first */
  http: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** What both sides of the router do: pass the request on, saying who asked and over what. */
const location = (proto: string) => `
    location / {
      proxy_pass http://web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto ${proto};
      proxy_read_timeout 55s;
      proxy_send_timeout 55s;
      # which web process answered, for the test to place streams and reads (not the app's)
      add_header X-Upstream $upstream_addr always;
    }`;

function config(dir: string, ports: { https: number; http: number; web: number[] }, tls: { cert: string; key: string }): string {
  return `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # the app decides how large an upload may be (413), as behind a PaaS router
  client_max_body_size 0;
  keepalive_timeout 55s;
  send_timeout 55s;
  upstream web {
${ports.web.map((port) => `    server 127.0.0.1:${port};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${ports.https} ssl;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};${location('https')}
  }
  server {
    listen 127.0.0.1:${ports.http};${location('http')}
  }
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in `dir` (its config, logs and temp files stay there) and waits until both ports accept. */
export async function startNginx(dir: string, ports: { https: number; http: number; web: number[] }, tls: { cert: string; key: string }): Promise<Proxy> {
  const nginx = commandPath('nginx');
  if (!nginx) throw new Error('nginx is not installed');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), config(dir, ports, tls));
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const kill = () => void child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    process.removeListener('exit', kill);
    if (!exited) child.kill('SIGTERM'); // a fast stop: the open streams are cut, as in a router's restart
    await gone;
  };
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 20_000;
  while (!((await accepts(ports.https)) && (await accepts(ports.http)))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start:\n${output}\n${errorLog()}`);
    }
    await sleep(50);
  }
  return { https: `https://127.0.0.1:${ports.https}`, http: `http://127.0.0.1:${ports.http}`, errorLog, stop };
}
