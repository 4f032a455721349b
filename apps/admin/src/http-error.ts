/** An error with the HTTP status and the Chinese-first message the admin console sends for it. */
export class AdminHttpError extends Error {
  override readonly name = 'AdminHttpError';

  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
