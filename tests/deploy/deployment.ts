// The rehearsal's deployment, set up as a PaaS sets one up: a fresh clone of HEAD built
// by the buildpack's steps, a MariaDB database of its own (the MySQL add-on) and Redis,
// the release phase run once, two web processes with production settings from the
// environment, and nginx in front (the platform's router). Everything registers its undo.
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createDb, type Db } from '../../src/db';
import type { Via } from '../support/client';
import { freePort } from '../support/mariadbServer';
import { build, LOOPBACK_PRELOAD, mustRun, platformEnv, readProcfile, REPO, startWeb, type WebProcess } from './paas';
import { startNginx, throwawayCertificate, type Proxy } from './proxy';

/** The rehearsal's printed steps (seconds since it began) and what to undo at the end, last first. */
export class Rehearsal {
  private readonly started = Date.now();
  private readonly lines: string[] = [];
  private readonly undo: Array<() => Promise<unknown>> = [];

  step(what: string): void {
    this.lines.push(`${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  }

  onCleanup(fn: () => Promise<unknown>): void {
    this.undo.push(fn);
  }

  async cleanUp(): Promise<void> {
    for (const fn of this.undo.splice(0).reverse()) await fn().catch((err) => this.step(`cleanup: ${(err as Error).message}`));
  }

  report(): string {
    return `deploy rehearsal\n${this.lines.join('\n')}`;
  }
}

export interface Deployment {
  /** the deployment's database, for the test to look into (the app's own queries go through the proxy) */
  db: Db;
  proxy: Proxy;
  /** trusts the throwaway certificate */
  tls: Via;
  /** web.1 and web.2 as they run now */
  webs: WebProcess[];
  ports: number[];
  /** every web process started, restarts included, for their logs */
  everStarted: WebProcess[];
  /** Starts web.N again (N = index + 1) on its port, as the platform does after a stop. */
  restart(index: number): Promise<WebProcess>;
}

export interface Services {
  mysqlUrl: string;
  redisUrl: string;
  /** the variables a hoster would add beyond the required ones */
  extraEnv: Record<string, string>;
}

/** Clones HEAD (only what is committed) and builds it; resolves to the app's folder. */
async function cloneAndBuild(root: string, r: Rehearsal): Promise<string> {
  const dir = join(root, 'app');
  const env = platformEnv();
  const options = { cwd: root, env, timeoutMs: 60_000 };
  await mustRun(`git clone --quiet ${REPO} ${dir}`, options);
  r.step(`fresh clone of ${(await mustRun('git log -1 --format=%h', { ...options, cwd: dir })).output.trim()}`);
  await build(dir, env, (what) => r.step(what));
  expect((await mustRun('git status --porcelain', { ...options, cwd: dir })).output, 'the build changes nothing committed').toBe('');
  return dir;
}

/** A database of the deployment's own on the MariaDB server, dropped at the end. */
async function createDatabase(serverUrl: string, r: Rehearsal): Promise<{ url: string; db: Db }> {
  const name = `cc_deploy_${randomBytes(4).toString('hex')}`;
  const admin = createDb(serverUrl.replace(/\/[^/]*$/, '/mysql'));
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  r.onCleanup(async () => {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  });
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = createDb(url);
  r.onCleanup(() => db.destroy());
  return { url, db };
}

/** The settings a hoster gives the app, as the README's Deploy section lists them. */
function productionEnv(databaseUrl: string, services: Services): Record<string, string> {
  const vapid = createECDH('prime256v1');
  vapid.generateKeys();
  return {
    ...platformEnv(),
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    VAPID_PUBLIC_KEY: vapid.getPublicKey('base64url'),
    VAPID_PRIVATE_KEY: vapid.getPrivateKey('base64url'),
    VAPID_SUBJECT: 'mailto:ops@couple.example',
    ...services.extraEnv,
  };
}

async function distinctPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export async function deploy(services: Services, r: Rehearsal): Promise<Deployment> {
  const root = mkdtempSync(join(tmpdir(), 'cc-deploy-'));
  r.onCleanup(async () => rmSync(root, { recursive: true, force: true }));
  const dir = await cloneAndBuild(root, r);
  const procfile = readProcfile(dir);
  expect(Object.keys(procfile)).toEqual(expect.arrayContaining(['release', 'web']));

  const { url, db } = await createDatabase(services.mysqlUrl, r);
  const env = productionEnv(url, services);
  const release = await mustRun(procfile.release, { cwd: dir, env, timeoutMs: 120_000 });
  expect(release.stderr, 'the release phase logs no error').toBe('');
  expect(Number((await db('knex_migrations').count({ n: '*' }))[0].n), 'migrations run by the release phase').toBeGreaterThan(0);
  r.step(`release: \`${procfile.release}\` → ${release.output.trim().split('\n').pop()}`);

  const [port1, port2, httpsPort, httpPort] = await distinctPorts(4);
  const ports = [port1, port2];
  const webEnv = { ...env, NODE_OPTIONS: `--import=${LOOPBACK_PRELOAD}` };
  const start = (index: number) => startWeb(`web.${index + 1}`, procfile.web, { cwd: dir, env: webEnv, port: ports[index] });
  const webs = await Promise.all([start(0), start(1)]);
  const everStarted = [...webs];
  r.onCleanup(() => Promise.all(webs.map((w) => w.terminate())));
  r.step(`web.1 (:${port1}) and web.2 (:${port2}) answer /healthz: \`${procfile.web}\` with NODE_ENV=production`);

  const certificate = await throwawayCertificate(root);
  const proxy = await startNginx(join(root, 'nginx'), { https: httpsPort, http: httpPort, web: ports }, certificate);
  r.onCleanup(() => proxy.stop());
  r.step(`nginx in front: TLS on :${httpsPort}, plain HTTP on :${httpPort}, round-robin, read timeout 55 s`);

  const restart = async (index: number) => {
    webs[index] = await start(index);
    everStarted.push(webs[index]);
    return webs[index];
  };
  return { db, proxy, tls: { ca: readFileSync(certificate.cert) }, webs, ports, everStarted, restart };
}
