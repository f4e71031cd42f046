// The package's index does not export the store base class its types declare; a store of
// our own (dbCounter.ts) takes it from its file.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  import { RateLimiterStoreAbstract } from 'rate-limiter-flexible';
  export default RateLimiterStoreAbstract;
}
