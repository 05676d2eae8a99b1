/** Application statuses (shared/JOBS.md) with the words an applicant reads on the timeline. */
export const STATUS_TEXT = {
  draft: '草稿',
  submitted: '已提交',
  reviewing: '审查中',
  awaiting_confirmation: '等待相关人确认',
  manual_review: '人工审查中',
  returned: '退回补正',
  approved: '准予许可',
  rejected: '不予许可',
  withdrawn: '已撤回',
  closed: '已办结（未作决定）',
} as const;

export type ApplicationStatus = keyof typeof STATUS_TEXT;

export const isStatus = (value: unknown): value is ApplicationStatus => typeof value === 'string' && value in STATUS_TEXT;

/** Statuses after which nothing changes the application any more. */
export const FINAL_STATUSES: readonly ApplicationStatus[] = ['approved', 'rejected', 'withdrawn', 'closed'];
