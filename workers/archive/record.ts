export const CASE_OUTCOMES = ['approved', 'rejected', 'withdrawn', 'closed'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** The case record (案卷) as metadata.json holds it: who asked what, who decided, and how long it is kept. */
export interface CaseRecord {
  /** 档号 */
  archiveId: string;
  /** 办件编号 */
  caseNumber: string;
  /** 事项编码 and 事项名称 */
  matter: { code: string; name: string };
  /** 业务行为, e.g. 新办, 变更, 延续, 补证 */
  action: string;
  /** 承办部门 and its unified social credit code */
  department: { code: string; name: string };
  /** 申请人 and its unified social credit code or resident ID number */
  applicant: { name: string; code: string };
  /** ISO 8601 times. A withdrawn or closed case has no decision. */
  submittedAt: string;
  decidedAt?: string | null;
  closedAt: string;
  outcome: CaseOutcome;
  /** 保管期限: 永久, 30年, 10年 */
  retention: string;
  /** 类别 (分类号), e.g. 行政许可 */
  category: string;
  /** 年度 */
  year: number;
  /** 立档单位 (or the system that formed the record) */
  creator: string;
}

const REQUIRED: [path: string, label: string][] = [
  ['archiveId', '档号'],
  ['caseNumber', '办件编号'],
  ['matter.code', '事项编码'],
  ['matter.name', '事项名称'],
  ['action', '业务行为'],
  ['department.code', '承办部门代码'],
  ['department.name', '承办部门'],
  ['applicant.name', '申请人'],
  ['applicant.code', '申请人证件号码'],
  ['submittedAt', '申请时间'],
  ['closedAt', '办结时间'],
  ['outcome', '办理结果'],
  ['retention', '保管期限'],
  ['category', '类别'],
  ['year', '年度'],
  ['creator', '立档单位'],
];

const TIMES: [path: string, label: string][] = [
  ['submittedAt', '申请时间'],
  ['decidedAt', '决定时间'],
  ['closedAt', '办结时间'],
];

const RETENTION = /^(永久|[1-9]\d{0,2}年)$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

const empty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** What is missing or malformed in a case record, one sentence each; empty when complete. */
export function recordProblems(record: unknown): string[] {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return ['the case record is not a JSON object (案卷元数据不是对象)'];
  const problems: string[] = [];
  for (const [path, label] of REQUIRED) {
    if (empty(at(record, path))) problems.push(`${path} is missing or empty (缺少${label})`);
  }
  const outcome = at(record, 'outcome');
  if (!empty(outcome) && !CASE_OUTCOMES.includes(outcome as CaseOutcome)) {
    problems.push(`outcome "${String(outcome)}" is not one of ${CASE_OUTCOMES.join(', ')} (办理结果无效)`);
  }
  if ((outcome === 'approved' || outcome === 'rejected') && empty(at(record, 'decidedAt'))) {
    problems.push(`decidedAt is missing for a case ${outcome} (缺少决定时间)`);
  }
  for (const [path, label] of TIMES) {
    const value = at(record, path);
    if (!empty(value) && (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
      problems.push(`${path} "${String(value)}" is not an ISO 8601 time (${label}格式错误)`);
    }
  }
  const retention = at(record, 'retention');
  if (!empty(retention) && (typeof retention !== 'string' || !RETENTION.test(retention))) {
    problems.push(`retention "${String(retention)}" is not 永久 or a number of years such as 30年 (保管期限格式错误)`);
  }
  const year = at(record, 'year');
  if (!empty(year) && !(Number.isInteger(year) && (year as number) >= 1949 && (year as number) <= 9999)) {
    problems.push(`year "${String(year)}" is not a four-digit year (年度格式错误)`);
  }
  return problems;
}
