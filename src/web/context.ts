import type { Clock } from '../clock';
import type { Db } from '../db';
import type { Config } from '../config';
import type { Lang, MessageKey, Translate } from '../i18n/index';
import type { CurrentUser } from '../accounts/users';
import type { Hub } from '../realtime/hub';
import type { Storage } from '../files/storage';
import type { Notifier } from '../push/notify';
import type { PushNetwork } from '../push/sender';
import type { RateCounters } from '../limits/counters';
import type { RateLimits } from '../limits/rules';

export interface RenderOptions {
  status?: number;
  /** the partial sent instead of the page when htmx asks (HX-Request without HX-Boosted) */
  fragment?: string;
}

export interface Flash {
  kind: 'info' | 'error';
  key: MessageKey;
  params?: Record<string, string>;
}

export interface AppDeps {
  db: Db;
  config: Config;
  /** the one source of "now" (the system's in a server; a test's own in tests) */
  clock: Clock;
  /** how push services are reached (the internet's DNS and port 443 unless a test gives its own) */
  pushNetwork?: PushNetwork;
}

declare module 'koa' {
  interface DefaultState {
    user: CurrentUser | null;
    lang: Lang;
    t: Translate;
    csrf: string;
    htmx: boolean;
    /** the user's couple as loaded with the user: gone (a break-up took effect) or not, and a pending break-up's due time */
    couple: { found: boolean; breakupDueAt: number | null } | null;
  }
  interface DefaultContext {
    deps: AppDeps;
    hub: Hub;
    storage: Storage;
    /** Web Push to a partner who has no chat open */
    push: Notifier;
    /** the counts behind every request limit and the log-in throttle */
    rateStore: RateCounters;
    rateLimits: RateLimits;
    /** resolves once the app can take requests (its realtime broker is subscribed) */
    ready: Promise<void>;
    render(view: string, data?: Record<string, unknown>, options?: RenderOptions): void;
    /** after a successful form POST: 303 to `location`, or for htmx the given fragment (or HX-Redirect) */
    done(location: string, fragment?: { view: string; data?: Record<string, unknown> }): void;
    flash(kind: Flash['kind'], key: MessageKey, params?: Flash['params']): void;
  }
}
