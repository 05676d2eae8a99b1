/** The shapes of the worklist answers (openapi.yaml, tag worklist; server/worklist/tasks.ts). */
export type TaskState = 'open' | 'claimed' | 'done';

export interface ApplicationSummary {
  id: string;
  caseNumber: string | null;
  matter: string;
  matterName: string;
  action: string;
  actionName: string;
  applicantName: string | null;
  status: string;
  statusText: string;
  blockingFindings: number;
}

export interface TaskSummary {
  id: string;
  name: string | null;
  elementId: string;
  candidateGroups: string[];
  assignee: string | null;
  state: TaskState;
  formId: string | null;
  dueDate: string | null;
  warnAt: string | null;
  overdue: boolean;
  createdAt: string | null;
  completedAt: string | null;
  application: ApplicationSummary | null;
}

export interface FieldValue {
  value: unknown;
  source: string;
  locked?: boolean;
}

export interface HandedIn {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  uploadedAt: string | null;
  ocr: { status: string; documentType?: string; fields?: Record<string, { value: string; confidence?: number }> } | null;
}

export interface Material {
  code: string;
  name: string;
  channel: string;
  required: boolean;
  exemptBecause?: string;
  handedIn: HandedIn | null;
}

export interface Finding {
  point: string;
  message: string;
  severity: 'block' | 'warn' | string;
}

export interface Correction {
  field?: string;
  material?: string;
  reason: string;
}

export interface ApplicationView {
  id: string;
  matter: string;
  matterName: string;
  action: string;
  actionName: string;
  department: string;
  status: string;
  statusText: string;
  caseNumber: string | null;
  form: Record<string, FieldValue>;
  materials: Material[];
  findings: Finding[] | null;
  corrections: Correction[];
  timeline: { at: string | null; kind: string; status?: string; message: string }[];
  result: Record<string, unknown> | null;
  submittedAt: string | null;
}

export interface OcrComparison {
  field: string;
  label: string;
  formValue: unknown;
  ocrValue: string;
  material: string;
  agrees: boolean;
}

export interface TaskDetail extends Omit<TaskSummary, 'application'> {
  application: ApplicationView | null;
  fields: { key: string; label: string; type: string }[];
  ocrComparison: OcrComparison[];
}

export interface CaseHit {
  id: string;
  caseNumber: string;
  matterName: string;
  actionName: string;
  applicantName: string;
  status: string;
  statusText: string;
  submittedAt: string | null;
  /** In the list of suspended cases: since when and why. */
  suspension?: { since: string; reason: string | null };
}

/** A review point of the matter's guide: its text and the hint for the applicant. */
export interface ReviewPoint {
  id: string;
  text: string;
  hint?: string;
  severity?: string;
}

/** A decision a task's form offers (its `decision` field): accept / refuse / return at acceptance, approve / reject / return at review. */
export interface DecisionOption {
  value: string;
  label: string;
}

/** The body of `POST /tasks/{id}/complete`. */
export interface Completion {
  decision: string;
  comment?: string;
  corrections?: Correction[];
}

export interface TaskFilter {
  state: TaskState;
  mine: boolean;
  matter: string;
  overdue: boolean;
}

/** One page of `GET /tasks`: the tasks, the true total (`X-Total-Count`), the cursor of the next page (`X-Next-Cursor`). */
export interface TaskPage {
  tasks: TaskSummary[];
  total: number;
  next: string | undefined;
}

/** A field of a matter's action (its guide, `GET /matters/{slug}`). */
export interface FieldSpec {
  key: string;
  label: string;
  type: 'text' | 'textarea' | 'date' | 'number' | 'checkbox' | 'select' | 'multiselect' | 'phone' | 'uscc' | 'id-number' | string;
  required: boolean;
  options?: { value: string; label: string }[];
}

/** What the worklist reads of an action of a matter's guide. */
export interface ActionGuide {
  name: string;
  fields: FieldSpec[];
  suspensionAllowed?: boolean;
  extension?: { allowed: boolean; maxDays?: number; basis?: string };
}

/** A matter's guide (`GET /matters/{slug}`), the parts the worklist reads. */
export interface MatterGuide {
  slug: string;
  name: string;
  reviewPoints: ReviewPoint[];
  actions: Partial<Record<string, ActionGuide>>;
}

/** A matter of the catalog (`GET /matters`). */
export interface MatterSummary {
  slug: string;
  name: string;
  department: { id: string; name: string };
  actions: string[];
}

/** A question of the progressive questionnaire (`POST /matters/{slug}/guidance`). */
export interface GuidanceQuestion {
  id: string;
  text: string;
  help?: string;
  multiple: boolean;
  options: { value: string; label: string }[];
}

export interface Guidance {
  nextQuestion?: GuidanceQuestion;
  materials: { code: string; name: string; required: boolean; exemptBecause?: string }[];
  eligible?: boolean;
  reasons: string[];
}

/** The application as its applicant's calls answer it, with what the counter needs besides the review view. */
export interface DraftView extends ApplicationView {
  resumeCode?: string;
  channel?: string;
}
