// The release step of the Procfile: bring the database schema up to date, then exit.
import { ConfigError, loadConfig } from './config';
import { createDb, migrate } from './db';

try {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  const ran = await migrate(db);
  await db.destroy();
  // what a hoster reads in the release phase's log
  console.log(ran.length ? `migrations: ${ran.length} applied (${ran[0]} … ${ran[ran.length - 1]}), up to date` : 'migrations: up to date, none to apply');
} catch (err) {
  console.error(err instanceof ConfigError ? `config: ${err.message}` : err);
  process.exit(1);
}
