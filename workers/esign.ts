import { EsignError } from './esign/index';
import { bpmnError, complete, fail, type Worker } from './worker';

export interface SignedDocument {
  id: string;
  kind: 'licence' | 'decision' | 'acceptance-notice' | 'refusal-notice';
}

/** The letters of the acceptance step, signed on their own (header `document`); without it, the decision's documents. */
export type AcceptanceLetter = 'acceptance-notice' | 'refusal-notice';

export interface SignRequest {
  applicationId: string;
  reasons: string[];
  document?: AcceptanceLetter;
  /** When the clerk accepted the case (ISO), for the acceptance notice's date. */
  acceptedAt?: string;
}

export type SignOutcome =
  { kind: 'signed'; documents: SignedDocument[] } | { kind: 'not-decided'; status: string } | { kind: 'unknown-application' };

/** What the esign worker asks of the platform: sign the decided case's documents, once per application. */
export type SignDocuments = (request: SignRequest) => Promise<SignOutcome>;

type Variables = {
  applicationId?: string;
  sandbox?: boolean;
  review?: { findings?: { severity: string; message: string }[] };
  comment?: string;
  acceptedAt?: string;
};
type Headers = { document?: string };
const LETTERS: readonly string[] = ['acceptance-notice', 'refusal-notice'] satisfies AcceptanceLetter[];
/** `decision` (the template's default) is the same as no header. */
const DOCUMENT_HEADERS: readonly string[] = ['decision', ...LETTERS];

/**
 * `esign` (shared/JOBS.md): the licence and the decision letter, signed by the issuing department, as
 * `documents: [{id, kind}]`. No key to sign with raises `SIGNING_UNAVAILABLE`; a sandbox instance signs nothing.
 */
export function esignWorker(sign: SignDocuments): Worker<Variables, Headers> {
  return {
    type: 'esign',
    timeoutMs: 60_000,
    async handler(job) {
      if (job.variables.sandbox) return complete({ sandbox: true });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`esign task ${job.elementId} ran without an applicationId variable`, 0, 0);
      if (job.headers.document !== undefined && !DOCUMENT_HEADERS.includes(job.headers.document))
        return fail(`esign task ${job.elementId} has header document "${job.headers.document}", not one of ${DOCUMENT_HEADERS.join(', ')}`, 0, 0);
      const document = LETTERS.includes(job.headers.document ?? '') ? (job.headers.document as AcceptanceLetter) : undefined;
      // A rejection's reasons: what blocked in the review, and the clerk's comment.
      const reasons = [
        ...(job.variables.review?.findings ?? []).filter((f) => f.severity === 'block').map((f) => f.message),
        ...(job.variables.comment ? [job.variables.comment] : []),
      ];
      try {
        const outcome = await sign({
          applicationId,
          reasons,
          ...(document ? { document } : {}),
          ...(job.variables.acceptedAt ? { acceptedAt: job.variables.acceptedAt } : {}),
        });
        if (outcome.kind === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
        if (outcome.kind === 'not-decided')
          return fail(`application ${applicationId} is ${outcome.status}: nothing is signed before the ${document ?? 'decision'}`, 0, 0);
        return complete({ documents: outcome.documents });
      } catch (error) {
        if (error instanceof EsignError && error.code === 'SIGNING_UNAVAILABLE') return bpmnError('SIGNING_UNAVAILABLE', error.message);
        throw error;
      }
    },
  };
}
