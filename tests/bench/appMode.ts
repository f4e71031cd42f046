/**
 * Development by default (as the bench asks). BENCH_NODE_ENV=production runs the
 * app as deployed — templates cached, secure `__Host-` cookies — with every request
 * saying it came over HTTPS through a proxy, as a PaaS router's would.
 */
export const NODE_ENV = process.env.BENCH_NODE_ENV === 'production' ? 'production' : 'development';
export const COOKIE_PREFIX = NODE_ENV === 'production' ? '__Host-' : '';
export const PROXY_HEADERS: Record<string, string> = NODE_ENV === 'production' ? { 'x-forwarded-proto': 'https' } : {};
