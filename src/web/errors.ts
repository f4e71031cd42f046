import type { MessageKey } from '../i18n/index';

/** An error a user can be shown: a status and a catalog key, rendered by one middleware. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly key: MessageKey,
    readonly headers: Record<string, string> = {},
  ) {
    super(key);
  }
}

export const notFound = () => new AppError(404, 'error.notFound');
