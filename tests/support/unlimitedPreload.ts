// Preloaded into a real server process that a fault test starts (appChild.ts, with
// `unlimited`): the request limits are lifted as in every in-process test app (see
// limits.ts), because these tests fire hundreds of sends a second from one address on
// purpose. src/ is untouched: its defaults are raised in place before server.ts reads them.
import { DEFAULT_RATE_LIMITS } from '../../src/limits/rules';
import { unlimited } from './limits';

Object.assign(DEFAULT_RATE_LIMITS, unlimited);
