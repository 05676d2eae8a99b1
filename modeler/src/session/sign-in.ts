import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { h } from '../ui/dom';
import type { Session } from './session';
import './sign-in.css';

const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: '用户名或密码不正确',
  TOO_MANY_REQUESTS: '登录失败次数过多，请稍后再试',
  PASSWORD_LOGIN_DISABLED: '本系统未开放密码登录，请通过统一身份认证登录',
};

/** The sign-in form over the page; resolves once someone the page accepts has signed in. */
export function signIn(
  session: Session,
  host: HTMLElement,
  texts: { title: string; hint: string } = { title: '流程设计器', hint: '请使用流程设计员账号登录' },
): Promise<User> {
  return new Promise((resolve) => {
    const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const failure = h('p', { class: 'sign-in-error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary' }, '登录');
    const form = h(
      'form',
      { class: 'sign-in', 'aria-label': '登录' },
      h('h1', {}, texts.title),
      h('p', { class: 'sign-in-hint' }, texts.hint),
      h('label', {}, '用户名', username),
      h('label', {}, '密码', password),
      failure,
      submit,
    );
    const overlay = h('div', { class: 'sign-in-overlay' }, form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      failure.textContent = '';
      try {
        const user = await session.signIn(username.value.trim(), password.value);
        overlay.remove();
        resolve(user);
      } catch (error) {
        failure.textContent = error instanceof ApiError ? (MESSAGES[error.code] ?? error.message) : String(error);
        password.select();
      } finally {
        submit.disabled = false;
      }
    });
    host.appendChild(overlay);
    username.focus();
  });
}
