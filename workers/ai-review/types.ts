/** What the AI reviewer is shown of one case: the matter's review points for the action, the form, the OCR text. */
export interface CaseForReview {
  matter: string;
  action: string;
  reviewPoints: { id: string; text: string }[];
  form: { key: string; label: string; value: unknown }[];
  /** Each material read: the fields (identifiers repaired by their check characters) and the whole text, as read. */
  materials: { code: string; name: string; documentType?: string; fields: Record<string, string>; text: string }[];
}

/** An advisory finding: never blocking, for the clerk's eye; `point` is a review point id, or `AI` for none of them. */
export interface AdvisoryFinding {
  point: string;
  severity: 'warn';
  message: string;
  field?: string;
}

/** The model's answer, validated: what was kept, and how much of what it said had to be changed or left out. */
export interface AdvisoryAnswer {
  findings: AdvisoryFinding[];
  /** The model that answered, as it names itself (else as configured). */
  model: string;
  promptVersion: string;
  /** Findings given another severity than `warn`, kept as warnings. */
  downgraded: number;
  /** Findings left out: not a finding (no message), or past the most kept. */
  dropped: number;
}

/** A model that reviews a case and answers advisory findings, or throws an `AiReviewError`. */
export interface AdvisoryModel {
  /** The configured model name, recorded even when it does not answer. */
  readonly model: string;
  review(input: CaseForReview): Promise<AdvisoryAnswer>;
}
