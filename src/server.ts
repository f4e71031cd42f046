import { createApp } from './app';
import { systemClock } from './clock';
import { ConfigError, loadConfig, type Config } from './config';
import { startBreakupSweeper } from './couple/takeEffect';
import { createDb, migrate } from './db';
import { startReminders } from './reminders/schedule';
import { createHttpServer } from './web/httpServer';
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

/** A service's URL as the log shows it: without the user and password an add-on's URL carries. */
const withoutCredentials = (url: string) => url.replace(/\/\/[^@]*@/, '//***@');

const config = startupConfig();
const db = createDb(config.databaseUrl);
try {
  await migrate(db);
} catch (err) {
  console.error(`database: cannot prepare ${withoutCredentials(config.databaseUrl)}: ${(err as Error).message}`);
  process.exit(1);
}

const app = createApp({ db, config, clock: systemClock });
try {
  await app.context.ready;
} catch (err) {
  console.error(`redis: cannot subscribe at ${withoutCredentials(config.redisUrl ?? '')}: ${(err as Error).message}`);
  process.exit(1);
}
const server = createHttpServer(app);
server.listen(config.port, () => console.log(`Couple Chat listening on http://localhost:${config.port}`));

const sweeper = setInterval(() => deleteExpiredSessions(db, systemClock.now()).catch(() => {}), 60 * 60_000);
sweeper.unref();
const breakups = startBreakupSweeper(app.context); // at once (the app may have been down when one fell due), then every minute
const reminders = startReminders(app.context); // likewise: at once (a morning's reminders owed after a restart), then every minute

// PaaS stops a dyno with SIGTERM and a grace period: stop taking requests, let the
// ones in flight finish, close the database, then leave.
let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  clearInterval(sweeper);
  breakups.stop();
  const remindersStopped = reminders.stop();
  server.close(() => {
    // the last requests have published their events; their notifications are sent (each
    // has a timeout) while Redis still says who is online elsewhere; then Redis and the
    // database go
    void remindersStopped
      .then(() => app.context.push.idle())
      .then(() => Promise.all([app.context.hub.stop(), app.context.rateStore.close()]))
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  });
  // Streams are told to come back soon, to whichever instance answers. Redis stays open
  // until the requests in flight are done: the other instances must hear of what they store.
  app.context.hub.closeAll();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
