import type { Context } from 'koa';
import type { MessageKey } from '../i18n/index';

/** A form's errors: each field's message, for the field it is shown next to. */
export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

export const hasErrors = (errors: object): boolean => Object.keys(errors).length > 0;

/**
 * A form field as a string: '' when missing, and also when a client sends an array or
 * an object in its place (`a[]=1`, `a[b]=1`), so handlers only ever see strings.
 */
export function field(ctx: Context, name: string): string {
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
}

export function queryField(ctx: Context, name: string): string {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : '';
}

/** A positive integer id (a path parameter, a query or form value), or null. */
export function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** A positive integer path parameter, or null (the caller answers 404). */
export function idParam(ctx: Context, name = 'id'): number | null {
  return parseId((ctx.params as Record<string, string> | undefined)?.[name] ?? '');
}

/**
 * A path on this site to go back to, or '/': anything that would leave the site
 * (//host, /\host, a scheme, control characters) is dropped, and the result is
 * percent-encoded so it is safe in a Location or HX-Redirect header. The check is made
 * again after the URL is resolved: dot segments can turn a path into one that names a
 * host (`/..//evil.example` resolves to `//evil.example`).
 */
export function localPath(value: string): string {
  if (!value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  try {
    const url = new URL(value, 'http://local.invalid');
    if (url.origin !== 'http://local.invalid' || url.pathname.startsWith('//')) return '/';
    return url.pathname + url.search;
  } catch {
    return '/';
  }
}

/** The path of a page's address (an absolute URL, as htmx's HX-Current-URL) as a local path; '/' when it is none. */
export function localPathOf(address: string): string {
  try {
    return localPath(new URL(address).pathname);
  } catch {
    return '/';
  }
}
