import type { Knex } from 'knex';
import * as m001 from './001_accounts_and_pairing';
import * as m002 from './002_chat';
import * as m003 from './003_files';
import * as m004 from './004_questions_and_ranking';
import * as m005 from './005_calendar';
import * as m006 from './006_breakup';
import * as m007 from './007_push';
import * as m008 from './008_couple_ended_notice';
import * as m009 from './009_push_endpoint_unique';
import * as m010 from './010_foreign_key_indexes';
import * as m011 from './011_rate_counts';
import * as m012 from './012_retired_triggers';
import * as m013 from './013_calendar_undo';
import * as m014 from './014_revealed_after';
import * as m015 from './015_couple_profile';
import * as m016 from './016_replies_and_reactions';
import * as m017 from './017_reminders';

/**
 * Migrations are listed here rather than found on disk, so they load the same way
 * under tsx, vitest and the release step. Append; never edit one that has landed.
 */
const migrations: Record<string, Knex.Migration> = {
  '001_accounts_and_pairing': m001,
  '002_chat': m002,
  '003_files': m003,
  '004_questions_and_ranking': m004,
  '005_calendar': m005,
  '006_breakup': m006,
  '007_push': m007,
  '008_couple_ended_notice': m008,
  '009_push_endpoint_unique': m009,
  '010_foreign_key_indexes': m010,
  '011_rate_counts': m011,
  '012_retired_triggers': m012,
  '013_calendar_undo': m013,
  '014_revealed_after': m014,
  '015_couple_profile': m015,
  '016_replies_and_reactions': m016,
  '017_reminders': m017,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
