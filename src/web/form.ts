import type { Context } from 'koa';

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

/** A positive integer path parameter, or null (the caller answers 404). */
export function idParam(ctx: Context, name = 'id'): number | null {
  const raw = (ctx.params as Record<string, string> | undefined)?.[name] ?? '';
  if (!/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}
