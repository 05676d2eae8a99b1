/**
 * What a staff member may decide on each kind of task, and how the application's timeline words it. The kind follows
 * the task's form (JOBS.md "User tasks"): acceptance (受理), the clerk's review (窗口审查), the chief's approval of a
 * proposed rejection (不予许可审批).
 */
export type TaskKind = 'acceptance' | 'clerk' | 'chief' | 'extension';

export const ACCEPTANCE_FORM = 'common-clerk-acceptance';
export const CHIEF_APPROVAL_FORM = 'common-chief-approval';
export const EXTENSION_FORM = 'common-chief-extension';

/** The clerk path's user tasks by element id, for a task whose form is not one of ours (a designer's copy of the path). */
const KIND_OF_ELEMENT: Record<string, TaskKind> = {
  Task_ClerkAcceptance: 'acceptance',
  Task_ClerkReview: 'clerk',
  Task_ChiefApproval: 'chief',
  Task_ChiefExtension: 'extension',
};

/**
 * What the task is, from its form or its element: never from its candidate group, which a transfer (转办) changes.
 * Any other user task is a clerk's review.
 */
export function taskKindOf(task: { form_key: string | null; element_id: string }): TaskKind {
  if (task.form_key === ACCEPTANCE_FORM) return 'acceptance';
  if (task.form_key === CHIEF_APPROVAL_FORM) return 'chief';
  if (task.form_key === EXTENSION_FORM) return 'extension';
  return KIND_OF_ELEMENT[task.element_id] ?? 'clerk';
}

/** Who may do a kind of task: the department's clerks (its group D) or its chief (group D-chief, role approver). */
export const needsChief = (kind: TaskKind) => kind === 'chief' || kind === 'extension';

export const DECISIONS: Record<TaskKind, readonly string[]> = {
  // 受理, 不予受理, or 材料不齐: 一次性告知补正 (行政许可法 第三十二条).
  acceptance: ['accept', 'refuse', 'return'],
  clerk: ['approve', 'reject', 'return'],
  // The chief's task decides on a proposed rejection: approve = agree to reject, reject = send back to the clerk.
  chief: ['approve', 'reject'],
  // 延期 (行政许可法 第四十二条): the chief approves the days the clerk asked for, or not.
  extension: ['approve', 'reject'],
};

/** The decisions that must say why: a refusal and a rejection are letters with reasons. */
export const REASON_REQUIRED: Record<TaskKind, Record<string, string>> = {
  acceptance: { refuse: '不予受理须写明理由' },
  clerk: { reject: '不予许可须写明理由' },
  chief: {},
  extension: {},
};

export const DECISION_WORDS: Record<TaskKind, Record<string, string>> = {
  acceptance: { accept: '受理审查：予以受理', refuse: '受理审查：不予受理', return: '受理审查：材料不齐，一次性告知补正' },
  clerk: { approve: '窗口审查：准予许可', reject: '窗口审查：拟不予许可', return: '窗口审查：退回补正' },
  chief: { approve: '审批：同意不予许可', reject: '审批：不同意不予许可，退回重审' },
  extension: { approve: '审批：同意延期', reject: '审批：不同意延期' },
};
