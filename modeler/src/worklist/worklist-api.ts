import { Api } from '../api/client';
import type { ApplicationView, CaseHit, Completion, ReviewPoint, TaskDetail, TaskFilter, TaskSummary } from './types';

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

/** The calls of the clerk's worklist (shared/API.md "Worklist"), on the platform's API client. */
export class WorklistApi extends Api {
  tasks(filter: TaskFilter): Promise<TaskSummary[]> {
    const query = new URLSearchParams({ state: filter.state });
    if (filter.mine) query.set('assignee', 'me');
    if (filter.matter) query.set('matter', filter.matter);
    if (filter.overdue) query.set('overdue', 'true');
    return this.call('GET', `tasks?${query}`);
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
  colleagues(): Promise<{ department: string; groups: string[]; staff: Colleague[] }> {
    return this.call('GET', 'colleagues');
  }

  cases(q: string): Promise<CaseHit[]> {
    return this.call('GET', `cases?q=${encodeURIComponent(q)}`);
  }

  application(id: string): Promise<ApplicationView> {
    return this.call('GET', path('applications', id));
  }

  /** The file an applicant handed in for a material. */
  materialFile(applicationId: string, materialId: string): Promise<Blob> {
    return this.blob(path('applications', applicationId, 'materials', materialId, 'file'));
  }

  matters(): Promise<{ slug: string; name: string; department: { id: string; name: string } }[]> {
    return this.call('GET', 'matters', { anonymous: true });
  }

  /** The matter's guide; the worklist reads its review points (text and hint). */
  matter(slug: string): Promise<{ slug: string; name: string; reviewPoints: ReviewPoint[] }> {
    return this.call('GET', path('matters', slug), { anonymous: true });
  }
}

export interface Colleague {
  id: string;
  name: string;
  me: boolean;
}
