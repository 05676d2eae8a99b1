import { Api } from '../api/client';
import type {
  ApplicationView,
  CaseHit,
  Completion,
  DraftView,
  Guidance,
  MatterGuide,
  MatterSummary,
  TaskDetail,
  TaskFilter,
  TaskPage,
  TaskSummary,
} from './types';

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

/** The calls of the clerk's worklist (shared/API.md "Worklist"), on the platform's API client. */
export class WorklistApi extends Api {
  /**
   * One page of the tasks of the filter, after the cursor of the page before. The total and the next page's cursor
   * come in headers; without them (a server that does not page) the list is all there is.
   */
  async tasks(filter: TaskFilter, after?: string, limit?: number): Promise<TaskPage> {
    const query = new URLSearchParams({ state: filter.state });
    if (filter.mine) query.set('assignee', 'me');
    if (filter.matter) query.set('matter', filter.matter);
    if (filter.overdue) query.set('overdue', 'true');
    if (limit) query.set('limit', String(limit));
    if (after) query.set('after', after);
    const { body, headers } = await this.callWithHeaders<TaskSummary[]>('GET', `tasks?${query}`);
    const total = Number(headers.get('x-total-count'));
    return {
      tasks: body,
      total: headers.has('x-total-count') && Number.isFinite(total) ? total : body.length,
      next: headers.get('x-next-cursor') || undefined,
    };
  }

  /** The live task (open or claimed) of an application the caller's groups hold, if any. */
  async liveTaskOf(application: { id: string }): Promise<TaskSummary | undefined> {
    const tasks = await this.call<TaskSummary[]>('GET', `tasks?${new URLSearchParams({ state: 'open', application: application.id })}`);
    return tasks[0];
  }

  task(id: string): Promise<TaskDetail> {
    return this.call('GET', path('tasks', id));
  }

  claim(id: string): Promise<TaskDetail> {
    return this.call('POST', path('tasks', id, 'claim'));
  }

  unclaim(id: string): Promise<TaskDetail> {
    return this.call('POST', path('tasks', id, 'unclaim'));
  }

  complete(id: string, input: Completion): Promise<{ id: string; state: 'done' }> {
    return this.call('POST', path('tasks', id, 'complete'), { json: input });
  }

  transfer(id: string, to: { user?: string; group?: string; reason?: string }): Promise<{ id: string; transferred: true }> {
    return this.call('POST', path('tasks', id, 'transfer'), { json: to });
  }

  /** The department's staff and groups, to transfer a task to. */
  /** Suspends the case of the review task the caller holds (中止), with the reason. */
  suspend(taskId: string, reason: string): Promise<{ applicationId: string; suspended: true; since: string }> {
    return this.call('POST', path('tasks', taskId, 'suspension'), { json: { reason } });
  }

  /** Asks the chief for more working days on the case of the review task the caller holds (延期). */
  requestExtension(taskId: string, days: number, reason: string): Promise<{ applicationId: string }> {
    return this.call('POST', path('tasks', taskId, 'extension'), { json: { days, reason } });
  }

  /** Resumes a suspended case of the department (恢复办理). */
  resume(applicationId: string, comment?: string): Promise<{ applicationId: string; resumed: true }> {
    return this.call('POST', path('cases', applicationId, 'resumption'), { json: comment ? { comment } : {} });
  }

  /** The questionnaire of a matter's action: the next question, the materials so far. */
  guidance(matter: string, action: string, answers: Record<string, unknown>): Promise<Guidance> {
    return this.call('POST', path('matters', matter, 'guidance'), { json: { action, answers }, anonymous: true });
  }

  /** A draft made at the counter (窗口受理) for the person or enterprise with this ID number or USCC. */
  counterDraft(input: { holder: string; matter: string; action: string; answers: Record<string, unknown> }): Promise<DraftView> {
    return this.call('POST', 'counter/applications', { json: input });
  }

  fillForm(applicationId: string, form: Record<string, unknown>): Promise<DraftView> {
    return this.call('PATCH', path('applications', applicationId), { json: { form } });
  }

  uploadMaterial(applicationId: string, materialCode: string, file: File): Promise<{ id: string }> {
    const body = new FormData();
    body.append('materialCode', materialCode);
    body.append('file', file, file.name);
    return this.call('POST', path('applications', applicationId, 'materials'), { body });
  }

  submit(applicationId: string): Promise<{ status: string }> {
    return this.call('POST', path('applications', applicationId, 'submit'), {
      headers: { 'idempotency-key': `counter-submit-${applicationId}` },
    });
  }

  colleagues(): Promise<{ department: string; groups: string[]; staff: Colleague[] }> {
    return this.call('GET', 'colleagues');
  }

  cases(q: string): Promise<CaseHit[]> {
    return this.call('GET', `cases?q=${encodeURIComponent(q)}`);
  }

  /** The department's suspended cases (中止), longest suspended first; `truncated` when there are more than shown. */
  async suspendedCases(): Promise<{ cases: CaseHit[]; truncated: boolean }> {
    const { body, headers } = await this.callWithHeaders<CaseHit[]>('GET', 'cases?suspended=true');
    return { cases: body, truncated: headers.get('x-truncated') === 'true' };
  }

  application(id: string): Promise<ApplicationView> {
    return this.call('GET', path('applications', id));
  }

  /** The file an applicant handed in for a material. */
  materialFile(applicationId: string, materialId: string): Promise<Blob> {
    return this.blob(path('applications', applicationId, 'materials', materialId, 'file'));
  }

  matters(): Promise<MatterSummary[]> {
    return this.call('GET', 'matters', { anonymous: true });
  }

  /** The matter's guide: its review points (text and hint), and per action its fields and time-limit rules. */
  matter(slug: string): Promise<MatterGuide> {
    return this.call('GET', path('matters', slug), { anonymous: true });
  }
}

export interface Colleague {
  id: string;
  name: string;
  me: boolean;
}
