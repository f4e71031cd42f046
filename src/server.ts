import { createServer } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createDb, migrate } from './db';
import { deleteExpiredSessions } from './web/session';

function startupConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = startupConfig();
const db = createDb(config.databaseUrl);
try {
  await migrate(db);
} catch (err) {
  console.error(`database: cannot prepare ${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}: ${(err as Error).message}`);
  process.exit(1);
}

const app = createApp({ db, config });
const server = createServer(app.callback());
server.keepAliveTimeout = 65_000; // longer than PaaS routers' idle timeouts
server.listen(config.port, () => console.log(`Couple Chat listening on http://localhost:${config.port}`));

const sweeper = setInterval(() => deleteExpiredSessions(db).catch(() => {}), 60 * 60_000);
sweeper.unref();

// PaaS stops a dyno with SIGTERM and a grace period: stop taking requests, let the
// ones in flight finish, close the database, then leave.
let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  clearInterval(sweeper);
  server.close(() => {
    db.destroy().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 8_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
