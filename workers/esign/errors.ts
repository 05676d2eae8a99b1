/**
 * Errors of the signing module, each with a code. `SIGNING_UNAVAILABLE` is the business error the `esign` job raises
 * (shared/JOBS.md): no key for the department, a PKCS#12 that cannot be read. `DOCUMENT_INVALID` is input that stays
 * wrong on a retry (a rejection without reasons, a PDF that cannot take a signature).
 */
export type EsignErrorCode = 'SIGNING_UNAVAILABLE' | 'DOCUMENT_INVALID';

export class EsignError extends Error {
  constructor(
    readonly code: EsignErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EsignError';
  }
}

export const signingUnavailable = (message: string, cause?: unknown) => new EsignError('SIGNING_UNAVAILABLE', message, { cause });
export const documentInvalid = (message: string, cause?: unknown) => new EsignError('DOCUMENT_INVALID', message, { cause });
