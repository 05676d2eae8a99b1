import './app/styles.css';
import { Api } from './api/client';
import { Shell } from './app/shell';
import { Session } from './session/session';
import { signIn } from './session/sign-in';
import { byId } from './ui/dom';

/** Signs a designer in (or resumes the tab's session), then opens the modeler. */
async function main(): Promise<void> {
  const root = byId('app');
  const api = new Api();
  const session = new Session(api);
  const user = (await session.resume()) ?? (await signIn(session, root));
  const shell = new Shell(root, api, session, user);
  api.whenUnauthorized(() => shell.signOut());
  await shell.start();
}

main().catch((error) => {
  document.body.dataset.failed = 'true';
  document.body.append(`设计器启动失败：${error instanceof Error ? error.message : String(error)}`);
});
