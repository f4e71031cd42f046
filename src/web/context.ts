import type { Knex } from 'knex';
import type { Lang, MessageKey, Translate } from '../i18n/index';

export interface RenderOptions {
  status?: number;
  /** the partial sent instead of the page when htmx asks (HX-Request without HX-Boosted) */
  fragment?: string;
}

export interface Flash {
  kind: 'info' | 'error';
  key: MessageKey;
  params?: Record<string, string>;
  /** a form beside the notice that takes the change back (e.g. a delete): where it posts and its hidden fields */
  undo?: Undo;
}

export interface Undo {
  action: string;
  fields?: Record<string, string>;
}

/** The signed-in user as every page and route knows them. */
export interface CurrentUser {
  id: number;
  loginId: string;
  coupleId: number | null;
  language: Lang | null;
  weekStart: 0 | 1;
  timeZone: string | null;
  pushPreviews: boolean;
}

/** A couple as a request of one of its partners knows it: gone (a break-up took effect) or not, and a pending break-up's due time. */
export interface CoupleState {
  found: boolean;
  breakupDueAt: number | null;
}

/** A request's user, with what the web layer checks on every request. */
export interface RequestUser {
  user: CurrentUser;
  /** sessions issued before this instant were revoked (a password change, …) */
  sessionsValidAfter: number;
  couple: CoupleState | null;
}

/**
 * What the web layer needs of the accounts feature to know who is asking; the app hands it
 * over (src/app.ts), so that no middleware reads the users table itself.
 */
export interface UserDirectory {
  /** `query`, of one row with a user's id in `userIdColumn`, with that user and their couple joined in */
  withUser(query: Knex.QueryBuilder, userIdColumn: string): Knex.QueryBuilder;
  /** the user `withUser` joined in, from the row it read; null when the row named none */
  userOf(row: Record<string, unknown>): RequestUser | null;
  /** a user by id, alone */
  find(id: number): Promise<RequestUser | null>;
}

declare module 'koa' {
  interface DefaultState {
    user: CurrentUser | null;
    lang: Lang;
    t: Translate;
    csrf: string;
    htmx: boolean;
    /** the user's couple as loaded with the user */
    couple: CoupleState | null;
    /** the user the session's own query read (see sessionStore), for loadUser: one query instead of two */
    sessionUser?: RequestUser | null;
  }
  interface DefaultContext {
    render(view: string, data?: Record<string, unknown>, options?: RenderOptions): void;
    /**
     * After a successful form POST: 303 to `location`; for htmx the given fragment, nothing
     * at all (204) when the page needs nothing back, or else an HX-Redirect.
     */
    done(location: string, fragment?: { view: string; data?: Record<string, unknown> } | 'nothing'): void;
    flash(kind: Flash['kind'], key: MessageKey, params?: Flash['params'], undo?: Undo): void;
  }
}
