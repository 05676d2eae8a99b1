import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { EnginePort } from '../engine/port';
import { AppError, conflict } from '../errors';
import type { MatterCatalog } from '../matters/catalog';
import { maskName } from '../masking';
import { STATUS_TEXT, type ApplicationStatus } from '../applications/statuses';
import { addEvent, type ApplicationRow } from '../applications/store';
import { applicationView } from '../applications/view';
import { DECISION_WORDS, DECISIONS, REASON_REQUIRED, taskKindOf } from './decisions';
import { groupOfDepartment, groupsOf } from './groups';
import type { TaskRow, TaskState, UserTaskSource } from './task-source';

export type { TaskRow, TaskState, UserTaskQuery, UserTaskSource } from './task-source';

export interface WorklistDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  engine: EnginePort;
  matters: MatterCatalog;
}

type TaskChange = Partial<Pick<TaskRow, 'assignee' | 'candidate_groups'>>;

const userTasksOf = (engine: EnginePort): UserTaskSource | undefined => (engine as { userTasks?: UserTaskSource }).userTasks;

export interface TaskFilter {
  state?: TaskState;
  assignee?: 'me';
  matter?: string;
  overdue?: boolean;
  limit?: number;
}

/** What a task's summary shows of its application and applicant. */
const APPLICATION_FIELDS = [
  'a.case_number',
  'a.matter_slug',
  'a.action',
  'a.status as application_status',
  'a.findings',
  'u.display_name as applicant_name',
];

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

const noSuchTask = (id: string) => new AppError(404, 'NOT_FOUND', `没有这个待办：${id} (no such task)`);

/** The tasks a staff member may see: of their groups, not a designer's sandbox. */
function visible(knex: Knex | Knex.Transaction, principal: Principal) {
  const groups = groupsOf(principal);
  const query = knex<TaskRow>('tasks as t').where('t.sandbox', false);
  if (groups !== 'all') query.whereRaw('t.candidate_groups && ?::text[]', [groups]);
  return query;
}

function stateOf(row: Pick<TaskRow, 'state' | 'assignee'>): TaskState {
  return row.state === 'created' ? (row.assignee ? 'claimed' : 'open') : 'done';
}

/**
 * The worklist (shared/API.md "Worklist"): the tasks of the caller's department groups, with their due date and the
 * application at a glance; claim (one winner), unclaim, complete with a decision (only the one who claimed it),
 * transfer within the department (转办). A task of another department does not exist for the caller (404).
 */
export class Worklist {
  /** Set on Zeebe: the tasks are read and changed through the engine, not in the `tasks` table. */
  private readonly remote: UserTaskSource | undefined;

  constructor(private readonly deps: WorklistDeps) {
    this.remote = userTasksOf(deps.engine);
  }

  /** The visible tasks joined with their application and applicant, for the summaries. */
  private withApplication(principal: Principal) {
    return visible(this.deps.knex, principal)
      .leftJoin('applications as a', 'a.id', 't.application_id')
      .leftJoin('users as u', 'u.id', 'a.applicant_id')
      .select('t.*', ...APPLICATION_FIELDS);
  }

  /** The applications and applicants of tasks read from the engine, as `withApplication` joins them. */
  private async joinApplications(rows: TaskRow[]): Promise<(TaskRow & Record<string, any>)[]> {
    const ids = [...new Set(rows.map((r) => r.application_id).filter((id): id is string => Boolean(id)))];
    const found = ids.length
      ? await this.deps
          .knex('applications as a')
          .leftJoin('users as u', 'u.id', 'a.applicant_id')
          .whereIn('a.id', ids)
          .select('a.id', ...APPLICATION_FIELDS)
      : [];
    const byId = new Map(found.map(({ id, ...fields }: Record<string, any>) => [id, fields]));
    return rows.map((row) => ({ ...row, ...(byId.get(row.application_id) ?? {}) }));
  }

  async list(principal: Principal, filter: TaskFilter = {}) {
    const limit = Math.min(filter.limit ?? 200, 500);
    const state = filter.state ?? 'open';
    if (this.remote) {
      const rows = await this.remote.search({
        groups: groupsOf(principal),
        state,
        assignee: filter.assignee === 'me' ? principal.id : undefined,
        matter: filter.matter,
        dueBefore: filter.overdue ? this.deps.clock.now() : undefined,
        limit,
      });
      return (await this.joinApplications(rows)).map((row) => this.summary(row));
    }
    const query = this.withApplication(principal).limit(limit);
    if (state === 'done') query.where('t.state', 'completed').orderBy('t.completed_at', 'desc');
    else {
      query.where('t.state', 'created').orderByRaw('t.due_date asc nulls last').orderBy('t.key');
      if (state === 'claimed') query.whereNotNull('t.assignee');
    }
    if (filter.assignee === 'me') query.where(state === 'done' ? 't.completed_by' : 't.assignee', principal.id);
    if (filter.matter) query.where('a.matter_slug', filter.matter);
    if (filter.overdue) query.where('t.due_date', '<', this.deps.clock.now());
    const rows = await query;
    return rows.map((row: TaskRow & Record<string, any>) => this.summary(row));
  }

  private summary(row: TaskRow & Record<string, any>) {
    const matter = row.matter_slug ? this.deps.matters.get(row.matter_slug) : undefined;
    const warnAt = iso(row.follow_up_date) ?? (typeof row.variables?.warnAt === 'string' ? (row.variables.warnAt as string) : null);
    const now = this.deps.clock.now();
    return {
      id: String(row.key),
      name: row.name,
      elementId: row.element_id,
      candidateGroups: row.candidate_groups,
      assignee: row.assignee,
      state: stateOf(row),
      formId: row.form_key,
      dueDate: iso(row.due_date),
      warnAt,
      overdue: row.state === 'created' && row.due_date !== null && new Date(row.due_date) < now,
      // 80% of the time used (the reminder has gone to the department): due soon, not yet overdue.
      dueSoon:
        row.state === 'created' && warnAt !== null && new Date(warnAt) <= now && !(row.due_date !== null && new Date(row.due_date) < now),
      createdAt: iso(row.created_at),
      completedAt: iso(row.completed_at),
      application: row.application_id
        ? {
            id: row.application_id,
            caseNumber: row.case_number ?? null,
            matter: row.matter_slug,
            matterName: matter?.name ?? row.matter_slug,
            action: row.action,
            actionName: matter?.actions[row.action as keyof typeof matter.actions]?.name ?? row.action,
            applicantName: row.applicant_name ? maskName(row.applicant_name) : null,
            status: row.application_status,
            statusText: STATUS_TEXT[row.application_status as ApplicationStatus] ?? row.application_status,
            blockingFindings: (row.findings ?? []).filter((f: { severity?: string }) => f.severity === 'block').length,
          }
        : null,
    };
  }

  private async load(knex: Knex | Knex.Transaction, principal: Principal, id: string, forUpdate = false): Promise<TaskRow> {
    if (this.remote) {
      const row = /^\d{1,19}$/.test(id) ? await this.remote.get(id) : undefined;
      const groups = groupsOf(principal);
      if (!row || row.sandbox || (groups !== 'all' && !row.candidate_groups.some((g) => groups.includes(g)))) throw noSuchTask(id);
      return row;
    }
    if (!/^\d{1,18}$/.test(id)) throw noSuchTask(id);
    const query = visible(knex, principal).where('t.key', id).select('t.*');
    const row = (await (forUpdate ? query.forUpdate() : query).first()) as TaskRow | undefined;
    if (!row) throw noSuchTask(id);
    return row;
  }

  /** One task with the whole application, its fields, and OCR readings beside the form values. */
  async get(principal: Principal, id: string) {
    const { knex, matters } = this.deps;
    const row = await this.load(knex, principal, id);
    const [joined] = this.remote
      ? await this.joinApplications([row])
      : [await this.withApplication(principal).where('t.key', row.key).first()];
    const summary = this.summary(joined);
    const application = row.application_id
      ? ((await knex('applications').where({ id: row.application_id }).first()) as ApplicationRow)
      : undefined;
    if (!application) return { ...summary, application: null, fields: [], ocrComparison: [] };
    const view = await applicationView(knex, matters, application);
    const matter = matters.get(application.matter_slug);
    const spec = matter?.actions[application.action];
    const fields = (spec?.fields ?? []).map((f) => ({ key: f.key, label: f.label, type: f.type }));
    const ocrComparison = [];
    for (const material of view.materials) {
      const mapping = matter?.materials.find((m) => m.code === material.code)?.ocr;
      const read = (material.handedIn?.ocr as { fields?: Record<string, { value: string }> } | null)?.fields;
      if (!mapping || !read) continue;
      for (const [readKey, formKey] of Object.entries(mapping.fields)) {
        const ocrValue = read[readKey]?.value;
        if (ocrValue === undefined) continue;
        const formValue = application.form[formKey]?.value ?? null;
        const same = (v: unknown) =>
          String(v ?? '')
            .normalize('NFKC')
            .replace(/\s/g, '')
            .toUpperCase();
        ocrComparison.push({
          field: formKey,
          label: fields.find((f) => f.key === formKey)?.label ?? formKey,
          formValue,
          ocrValue,
          material: material.code,
          agrees: same(formValue) === same(ocrValue),
        });
      }
    }
    return { ...summary, application: view, fields, ocrComparison };
  }

  /** Takes the task: one of two clerks claiming at once wins, the other gets 409; claiming it again is harmless. */
  async claim(principal: Principal, id: string) {
    await this.change(
      principal,
      id,
      (row) => {
        if (row.state !== 'created') throw conflict('这项待办已办结');
        if (row.assignee === principal.id) return undefined;
        if (row.assignee) throw conflict(`这项待办已由${row.assignee}认领`, { assignee: row.assignee });
        return { assignee: principal.id };
      },
      (row, trx) =>
        this.deps.audit.append(
          { actor: principal.id, action: 'task.claimed', entityType: 'task', entityId: String(row.key), data: {} },
          trx,
        ),
    );
    return this.get(principal, id);
  }

  async unclaim(principal: Principal, id: string) {
    await this.change(
      principal,
      id,
      (row) => {
        if (row.state !== 'created') throw conflict('这项待办已办结');
        if (!row.assignee) return undefined;
        if (row.assignee !== principal.id && !principal.roles.includes('admin'))
          throw conflict(`这项待办由${row.assignee}认领，只有本人可以退回`);
        return { assignee: null };
      },
      (row, trx) =>
        this.deps.audit.append(
          { actor: principal.id, action: 'task.unclaimed', entityType: 'task', entityId: String(row.key), data: {} },
          trx,
        ),
    );
    return this.get(principal, id);
  }

  /**
   * Reads the task, lets `decide` check it and name the change, applies the change and `record`s it. On the `tasks`
   * table all in one transaction with the row locked; on an engine's user-task API the change goes there first (the
   * engine lets one of two racing changes win) and the record follows.
   */
  private async change(
    principal: Principal,
    id: string,
    decide: (row: TaskRow, db: Knex | Knex.Transaction) => TaskChange | undefined | Promise<TaskChange | undefined>,
    record: (row: TaskRow, trx: Knex.Transaction) => Promise<unknown>,
  ): Promise<void> {
    const { knex } = this.deps;
    const remote = this.remote;
    if (remote) {
      const row = await this.load(knex, principal, id);
      const change = await decide(row, knex);
      if (!change) return;
      if (change.candidate_groups) await remote.regroup(row.key, change.candidate_groups);
      if (change.assignee) await remote.assign(row.key, change.assignee, row.assignee !== null);
      else if (change.assignee === null && row.assignee) await remote.unassign(row.key);
      await knex.transaction((trx) => record(row, trx));
      return;
    }
    await knex.transaction(async (trx) => {
      const row = await this.load(trx, principal, id, true);
      const change = await decide(row, trx);
      if (!change) return;
      await trx('tasks')
        .where({ key: row.key })
        .update({ ...change, ...(change.candidate_groups ? { candidate_groups: trx.raw('?::text[]', [change.candidate_groups]) } : {}) });
      await record(row, trx);
    });
  }

  /**
   * Completes the task with a decision of those its form offers; a return names each correction (a field of the form or
   * a material, and why). Only the one who claimed it completes it (409 otherwise). The decision, comment and
   * corrections become process variables, and the application's timeline says what was decided.
   */
  async complete(
    principal: Principal,
    id: string,
    input: {
      decision?: string;
      comment?: string;
      corrections?: { field?: string; material?: string; reason: string }[];
      variables?: Record<string, unknown>;
    },
  ) {
    const { knex } = this.deps;
    const row = await this.load(knex, principal, id);
    if (row.state !== 'created') throw conflict('这项待办已办结');
    if (row.assignee !== principal.id) throw conflict(row.assignee ? `这项待办由${row.assignee}认领` : '请先认领再办理');
    const kind = taskKindOf(row);
    const allowed = DECISIONS[kind];
    const problems: { field: string; message: string }[] = [];
    if (!input.decision || !allowed.includes(input.decision))
      problems.push({ field: 'body.decision', message: `应为以下之一：${allowed.join(', ')}` });
    const corrections = input.corrections ?? [];
    const application = row.application_id
      ? ((await knex('applications').where({ id: row.application_id }).first()) as ApplicationRow)
      : undefined;
    if (input.decision === 'return') {
      if (!corrections.length) problems.push({ field: 'body.corrections', message: '退回补正须逐项写明需要补正的内容' });
      corrections.forEach((c, i) => {
        const known = c.field
          ? Boolean(application?.form[c.field])
          : c.material
            ? Boolean(application?.material_list.some((m) => m.code === c.material))
            : false;
        if (!known)
          problems.push({
            field: `body.corrections.${i}`,
            message: `补正项应为本申请的一个表单项或一份材料：${c.field ?? c.material ?? '（未填）'}`,
          });
        if (!c.reason?.trim()) problems.push({ field: `body.corrections.${i}.reason`, message: '请写明补正原因' });
      });
    }
    const reasonRequired = REASON_REQUIRED[kind][input.decision ?? ''];
    if (reasonRequired && !input.comment?.trim()) problems.push({ field: 'body.comment', message: reasonRequired });
    if (problems.length) throw new AppError(400, 'VALIDATION_FAILED', problems.map((p) => p.message).join('；'), problems);

    const variables = {
      ...(input.variables ?? {}),
      decision: input.decision,
      comment: input.comment ?? null,
      corrections,
      // The time limit counts from acceptance (the deadline worker reads it).
      ...(input.decision === 'accept' ? { acceptedAt: this.deps.clock.now().toISOString() } : {}),
      // The extension the chief approves names them (the process appends it to `extensions`).
      ...(kind === 'extension' ? { approvedBy: principal.id } : {}),
    };
    await this.deps.engine.completeUserTask(String(row.key), variables, principal.id);
    if (application) {
      const words = DECISION_WORDS[kind];
      const now = this.deps.clock.now();
      await knex.transaction(async (trx) => {
        await addEvent(trx, now, application.id, {
          kind: 'decision',
          message: `${words[input.decision!]}${input.comment ? `（${input.comment}）` : ''}`,
          data: { kind, decision: input.decision, corrections, by: principal.id, taskId: String(row.key) },
        });
      });
    }
    return { id: String(row.key), state: 'done' as const };
  }

  /** 转办: to a colleague of the department (assigned to them) or to one of its groups (open for the group). */
  async transfer(principal: Principal, id: string, to: { user?: string; group?: string; reason?: string }) {
    await this.change(
      principal,
      id,
      async (row, db) => {
        if (row.state !== 'created') throw conflict('这项待办已办结');
        if (row.assignee && row.assignee !== principal.id && !principal.roles.includes('admin'))
          throw conflict(`这项待办由${row.assignee}认领，只有本人可以转办`);
        const department = principal.department ?? row.candidate_groups[0]?.replace(/-chief$/, '');
        if (!department) throw new AppError(403, 'FORBIDDEN', '没有所属部门，不能转办');
        if (to.user) {
          const colleague = await db('users').where({ id: to.user }).first('id', 'department');
          if (!colleague || colleague.department !== department)
            throw new AppError(400, 'VALIDATION_FAILED', `只能转给本部门的工作人员：${to.user}`, [
              { field: 'body.user', message: 'not of the department' },
            ]);
          return { assignee: colleague.id };
        }
        if (to.group) {
          if (!groupOfDepartment(to.group, department))
            throw new AppError(400, 'VALIDATION_FAILED', `只能转给本部门的岗位：${to.group}`, [
              { field: 'body.group', message: 'not of the department' },
            ]);
          return { candidate_groups: [to.group], assignee: null };
        }
        throw new AppError(400, 'VALIDATION_FAILED', '请指定转办给谁（user 或 group）', [{ field: 'body', message: 'user or group' }]);
      },
      async (row, trx) => {
        await this.deps.audit.append(
          { actor: principal.id, action: 'task.transferred', entityType: 'task', entityId: String(row.key), data: { ...to } },
          trx,
        );
        if (row.application_id) {
          await addEvent(trx, this.deps.clock.now(), row.application_id, {
            kind: 'transfer',
            message: `转办给${to.user ?? to.group}${to.reason ? `（${to.reason}）` : ''}`,
            data: { by: principal.id, ...to },
          });
        }
      },
    );
    return { id, transferred: true };
  }
}
