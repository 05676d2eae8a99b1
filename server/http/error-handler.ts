import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors';

interface ValidatorError {
  status?: number;
  errors?: { path?: string; message?: string; errorCode?: string }[];
  message?: string;
}

/**
 * An AppError of another copy of `server/errors.ts`: a module imported dynamically (the Zeebe adapter) is loaded a
 * second time when the static graph was loaded through a require hook (the test runner's).
 */
const isForeignAppError = (error: unknown): error is AppError =>
  error instanceof Error &&
  error.name === 'AppError' &&
  typeof (error as AppError).status === 'number' &&
  typeof (error as AppError).code === 'string';

/** Maps any error to the API error shape; never sends a stack trace. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isForeignAppError(error)) return new AppError(error.status, error.code, error.message, error.details);
  const e = error as ValidatorError & { type?: string; code?: string; expose?: boolean; statusCode?: number };
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE') {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the limit');
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', e.message ?? 'Unsupported encoding');
  }
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) {
    return new AppError(400, 'INVALID_UPLOAD', e.message ?? 'The upload is not acceptable');
  }
  if (Array.isArray(e?.errors) && typeof e.status === 'number') {
    const details = e.errors.map((x) => ({
      field: (x.path ?? '')
        .replace(/^\/(body|query|params|headers)\/?/, '$1.')
        .replace(/\//g, '.')
        .replace(/\.$/, ''),
      message: x.message,
    }));
    switch (e.status) {
      case 400:
        return new AppError(
          400,
          'VALIDATION_FAILED',
          'The request is invalid: ' + details.map((d) => `${d.field} ${d.message}`).join('; '),
          details,
        );
      case 401:
        return new AppError(401, 'UNAUTHORIZED', 'Sign in required');
      case 404:
        return new AppError(404, 'NOT_FOUND', 'No such route');
      case 405:
        return new AppError(405, 'METHOD_NOT_ALLOWED', e.message ?? 'Method not allowed');
      case 413:
        return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the limit');
      case 415:
        return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', e.message ?? 'Unsupported media type');
    }
  }
  const status = e?.statusCode ?? e?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'INVALID_REQUEST', e.message ?? 'Bad request');
  }
  return new AppError(500, 'INTERNAL', 'An internal error occurred; it has been logged');
}

// express-openapi-validator rewraps what a security handler throws, dropping its code and details and any status
// it does not know (429 becomes 500): the handler keeps the original here, and it is the one answered.
const securityFailures = new WeakMap<object, unknown>();

export function keepSecurityFailure(req: object, error: unknown): void {
  securityFailures.set(req, error);
}

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const original = securityFailures.get(req) ?? error;
    const appError = toAppError(original);
    if (appError.status >= 500) log(`${req.method} ${req.originalUrl} failed`, original);
    res.locals.errorCode = appError.code;
    const retry = (appError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (appError.status === 429 && retry) res.setHeader('Retry-After', String(retry));
    if (res.headersSent) return void res.end();
    const body: { error: { code: string; message: string; details?: unknown } } = {
      error: { code: appError.code, message: appError.message },
    };
    if (appError.details !== undefined) body.error.details = appError.details;
    res.status(appError.status).json(body);
  };
}

export const unknownRoute: RequestHandler = (req, _res, next) => next(new AppError(404, 'NOT_FOUND', `No route ${req.method} ${req.path}`));
