import '../app/styles.css';
import './dashboard.css';
import { Session } from '../session/session';
import { signIn } from '../session/sign-in';
import { byId } from '../ui/dom';
import { DashboardApi } from './dashboard-api';
import { DashboardApp } from './dashboard-app';

/** Signs an administrator in (or resumes the tab's session), then shows the figures. */
async function main(): Promise<void> {
  const root = byId('app');
  const api = new DashboardApi();
  const session = new Session(api, {
    tokenKey: 'approvals.dashboard.token',
    roles: ['admin'],
    refusal: (user) => `${user.name}（${user.username}）没有查看运行看板的权限，请用管理员账号登录`,
  });
  const user = (await session.resume()) ?? (await signIn(session, root, { title: '运行看板', hint: '请使用管理员账号登录' }));
  const app = new DashboardApp(root, api, session, user);
  api.whenUnauthorized(() => app.signOut());
  await app.start();
}

main().catch((error) => {
  document.body.dataset.failed = 'true';
  document.body.append(`运行看板启动失败：${error instanceof Error ? error.message : String(error)}`);
});
