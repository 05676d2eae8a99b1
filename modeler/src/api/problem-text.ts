import { ApiError } from './client';

const BY_STATUS: Record<number, string> = {
  400: '提交的内容有误',
  401: '登录已失效，请重新登录',
  403: '您没有办理这项业务的权限',
  404: '要找的内容不存在，或者不在您的办理范围内',
  409: '办理冲突',
  413: '文件过大',
  422: '不符合办理规则',
  429: '操作过于频繁，请稍后再试',
};

/** Whether the platform's message can be shown as it is (most are in Chinese already); else the status's own words are. */
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

/** What to tell the user when `doing` (认领、读取统计数据 …) failed: in Chinese, with the platform's reason when it gave one. */
export function problemText(doing: string, error: unknown): string {
  if (!(error instanceof ApiError)) return `${doing}失败：${error instanceof Error ? error.message : String(error)}`;
  if (error.status === 0) return `${doing}失败：${error.message}`;
  const general = BY_STATUS[error.status] ?? (error.status >= 500 ? '服务器暂时无法处理，请稍后重试' : `请求被拒绝（${error.status}）`);
  const reason = hasChinese(error.message) ? error.message.replace(/\s*\([^)]*\)\s*$/, '') : '';
  if (error.status === 409) return `${doing}失败：${reason || '这项待办的状态已经变化，请刷新后再试'}`;
  return `${doing}失败：${general}${reason && reason !== general ? `：${reason}` : ''}`;
}
