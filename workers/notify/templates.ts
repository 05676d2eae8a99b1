/** The notices the processes send (header `template` of a `notify` task), in the words an applicant reads. */
export interface NoticeFacts {
  matterName: string;
  actionName: string;
  caseNumber: string;
  applicantName: string;
  /** The second party's role (从业人员…), for a confirmation request. */
  role?: string;
  confirmBy?: string;
  /** Why the application does not qualify, for a not-eligible notice. */
  reasons?: string[];
}

export const NOTICE_TEMPLATES = {
  approved: (f: NoticeFacts) =>
    `您申请的${f.matterName}（${f.actionName}，办件编号${f.caseNumber}）已准予许可，电子证照可在“我的证照”中查看和下载。`,
  rejected: (f: NoticeFacts) =>
    `您申请的${f.matterName}（${f.actionName}，办件编号${f.caseNumber}）未予许可，理由见不予许可决定书；如不服，可在60日内申请行政复议或者在6个月内提起行政诉讼。`,
  returned: (f: NoticeFacts) =>
    `您申请的${f.matterName}（办件编号${f.caseNumber}）需要补正，请在15日内按一次性告知内容补正；逾期未补正的视为放弃申请。`,
  closed: (f: NoticeFacts) => `您申请的${f.matterName}（办件编号${f.caseNumber}）因未在规定期限内补正或确认，已终止办理。`,
  'not-eligible': (f: NoticeFacts) =>
    `您申请的${f.matterName}（办件编号${f.caseNumber}）经核验不符合申请条件，未予受理${f.reasons?.length ? `：${f.reasons.join('；')}` : '，原因见办件详情'}。`,
  'confirmation-requested': (f: NoticeFacts) =>
    `${f.applicantName}为您申请了${f.matterName}（办件编号${f.caseNumber}），请以个人账号登录后确认是否同意${f.confirmBy ? `，确认截止时间${f.confirmBy}` : ''}。`,
  'review-due-soon': (f: NoticeFacts) => `办件${f.caseNumber}（${f.matterName}）已用去80%的承诺办理时限，请尽快办理。`,
  'task-due-soon': (f: NoticeFacts) => `办件${f.caseNumber}（${f.matterName}）的待办已用去80%的办理期限，请尽快办理。`,
  'task-overdue': (f: NoticeFacts) => `办件${f.caseNumber}（${f.matterName}）的待办已超过办理期限，请优先办理。`,
  accepted: (f: NoticeFacts) => `您申请的${f.matterName}（办件编号${f.caseNumber}）已受理。`,
  refused: (f: NoticeFacts) =>
    `您申请的${f.matterName}（办件编号${f.caseNumber}）不予受理，理由见不予受理决定书；如不服，可在60日内申请行政复议或者在6个月内提起行政诉讼。`,
} as const;

export type NoticeTemplate = keyof typeof NOTICE_TEMPLATES;

export const isNoticeTemplate = (value: unknown): value is NoticeTemplate => typeof value === 'string' && value in NOTICE_TEMPLATES;

/** Who a notice goes to: the applicant, the second party, or the department's staff. */
export const RECIPIENT_OF: Record<NoticeTemplate, 'applicant' | 'second-party' | 'department'> = {
  approved: 'applicant',
  rejected: 'applicant',
  returned: 'applicant',
  closed: 'applicant',
  'not-eligible': 'applicant',
  'confirmation-requested': 'second-party',
  'review-due-soon': 'department',
  'task-due-soon': 'department',
  'task-overdue': 'department',
  accepted: 'applicant',
  refused: 'applicant',
};
