/**
 * Why the model gave no usable answer: `timeout` (none within the limit), `unavailable` (no connection), `status` (an
 * HTTP error), `malformed` (not a chat completion, or its content not JSON), `schema` (JSON of another shape).
 */
export type AiReviewErrorCode = 'timeout' | 'unavailable' | 'status' | 'malformed' | 'schema';

export class AiReviewError extends Error {
  constructor(
    readonly code: AiReviewErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AiReviewError';
  }
}
