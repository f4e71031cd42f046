// What the app gives every request on Koa's context: its dependencies and the parts built
// from them (src/app.ts). Declared here, at the top, because it names parts of the features.
import type { Clock } from './clock';
import type { Config } from './config';
import type { Db } from './db';
import type { Storage } from './files/storage';
import type { RateCounters } from './limits/counters';
import type { RateLimits } from './limits/rules';
import type { Notifier } from './push/notify';
import type { PushNetwork } from './push/sender';
import type { CoupleChanges } from './realtime/coupleChanges';
import type { Hub } from './realtime/hub';

export interface AppDeps {
  db: Db;
  config: Config;
  /** the one source of "now" (the system's in a server; a test's own in tests) */
  clock: Clock;
  /** how push services are reached (the internet's DNS and port 443 unless a test gives its own) */
  pushNetwork?: PushNetwork;
}

declare module 'koa' {
  interface DefaultContext {
    deps: AppDeps;
    hub: Hub;
    /** the one way to change a couple's state (see realtime/coupleChanges.ts) */
    changes: CoupleChanges;
    storage: Storage;
    /** Web Push to a partner who has no chat open */
    push: Notifier;
    /** the counts behind every request limit and the log-in throttle */
    rateStore: RateCounters;
    rateLimits: RateLimits;
    /** resolves once the app can take requests (its realtime broker is subscribed) */
    ready: Promise<void>;
  }
}
