import type { EligibilityProblem, EligibilityProblemKind } from '../../server/matters/eligibility';

/**
 * What the re-check after submission does with each refusal of the eligibility pre-check. `review`: the matter's review
 * table checks it (the enterprise's registration status: HP-R01, PUB-R02, DG-R01; the licence found, held, valid and
 * not expired: HP-R02, PUB-R01), so the case goes on to review, whose block finding puts it before a clerk who decides
 * with the finding in front of them. `end`: no review point covers it and the application cannot stand whatever a
 * clerk finds (no such applicant, a renewal outside the window the law sets, a second open application for the same
 * licence), so the case ends, with the reason.
 */
const AFTER_SUBMISSION: Record<EligibilityProblemKind, 'review' | 'end'> = {
  'enterprise-inactive': 'review',
  'license-missing': 'review',
  'license-status': 'review',
  'license-expired': 'review',
  'account-kind': 'end',
  'enterprise-missing': 'end',
  'renewal-window': 'end',
  'open-application': 'end',
};

export interface Recheck {
  /** Reasons that end the case (not eligible): empty when it goes on. */
  ending: string[];
  /** Reasons the review will find again and put before a clerk: recorded on the timeline, the case goes on. */
  forReview: string[];
}

/** Sorts the refusals found after submission into those that end the case and those the review decides. */
export function recheckAfterSubmission(problems: readonly EligibilityProblem[]): Recheck {
  const reasonsOf = (way: 'review' | 'end') => problems.filter((p) => AFTER_SUBMISSION[p.kind] === way).map((p) => p.reason);
  return { ending: reasonsOf('end'), forReview: reasonsOf('review') };
}
