/** The one error type that carries an HTTP status and an API error code (shared/API.md "Errors"). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'INVALID_REQUEST', message, details);
export const unauthorized = (message = '未登录或登录已失效 (sign in required)') => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = '无权执行此操作 (not allowed)') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what = 'resource') => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'CONFLICT', message, details);
export const tooLarge = (limitBytes: number) =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${limitBytes} bytes`, { limitBytes });
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'TOO_MANY_REQUESTS', message, { retryAfterSeconds });
