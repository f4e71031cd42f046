// The release step of the Procfile: bring the database schema up to date, then exit.
import { ConfigError, loadConfig } from './config';
import { createDb, migrate } from './db';

try {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  await migrate(db);
  await db.destroy();
  console.log('migrations: up to date');
} catch (err) {
  console.error(err instanceof ConfigError ? `config: ${err.message}` : err);
  process.exit(1);
}
