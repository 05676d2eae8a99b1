import '../app/styles.css';
import './worklist.css';
import { Session } from '../session/session';
import { signIn } from '../session/sign-in';
import { byId } from '../ui/dom';
import { WorklistApi } from './worklist-api';
import { WorklistApp } from './worklist-app';

const STAFF_ROLES = ['clerk', 'approver', 'admin'];

/** Signs a clerk in (or resumes the tab's session), then opens the worklist. */
async function main(): Promise<void> {
  const root = byId('app');
  const api = new WorklistApi();
  const session = new Session(api, {
    tokenKey: 'approvals.worklist.token',
    roles: STAFF_ROLES,
    refusal: (user) => `${user.name}（${user.username}）不是窗口工作人员，请用工作人员账号登录`,
  });
  const user = (await session.resume()) ?? (await signIn(session, root, { title: '窗口工作台', hint: '请使用窗口工作人员账号登录' }));
  const app = new WorklistApp(root, api, session, user);
  api.whenUnauthorized(() => app.signOut());
  await app.start();
}

main().catch((error) => {
  document.body.dataset.failed = 'true';
  document.body.append(`工作台启动失败：${error instanceof Error ? error.message : String(error)}`);
});
