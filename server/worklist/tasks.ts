import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Auth } from '../auth/auth';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { EnginePort } from '../engine/port';
import { AppError, conflict } from '../errors';
import type { MatterCatalog } from '../matters/catalog';
import { addEvent, type ApplicationRow } from '../applications/store';
import { applicationView } from '../applications/view';
import { DECISION_WORDS, DECISIONS, needsChief, REASON_REQUIRED, taskKindOf, type TaskKind } from './decisions';
import { groupsOf } from './groups';
import { TaskList, visible, type TaskFilter, type TaskPage } from './task-list';
import { userTasksOf, type TaskRow, type UserTaskSource } from './task-source';

export type { TaskRow, TaskState, UserTaskQuery, UserTaskSource } from './task-source';
export type { TaskFilter, TaskPage, TaskSummary } from './task-list';

export interface WorklistDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  engine: EnginePort;
  matters: MatterCatalog;
  /** Who holds which role in which department (a transfer goes only to someone who can do the task). */
  auth: Pick<Auth, 'enforcer'>;
}

type TaskChange = Partial<Pick<TaskRow, 'assignee' | 'candidate_groups'>>;

const KIND_NAMES: Record<TaskKind, string> = { acceptance: '受理审查', clerk: '窗口审查', chief: '不予许可审批', extension: '延期审批' };

const noSuchTask = (id: string) => new AppError(404, 'NOT_FOUND', `没有这个待办：${id} (no such task)`);

/**
 * The worklist (shared/API.md "Worklist"): the tasks of the caller's department groups, with their due date and the
 * application at a glance; claim (one winner), unclaim, complete with a decision (only the one who claimed it),
 * transfer within the department (转办). A task of another department does not exist for the caller (404).
 */
export class Worklist {
  /** Set on Zeebe: the tasks are read and changed through the engine, not in the `tasks` table. */
  private readonly remote: UserTaskSource | undefined;
  private readonly tasks: TaskList;

  constructor(private readonly deps: WorklistDeps) {
    this.remote = userTasksOf(deps.engine);
    this.tasks = new TaskList(deps, this.remote);
  }

  /** A page of the caller's tasks (see `TaskList`). */
  list(principal: Principal, filter: TaskFilter = {}): Promise<TaskPage> {
    return this.tasks.list(principal, filter);
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
      ? await this.tasks.joinApplications([row])
      : [await this.tasks.withApplication(principal).where('t.key', row.key).first()];
    const summary = this.tasks.summary(joined);
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
    if (needsChief(kind) && application && (await this.proposerOf(kind, application.id)) === principal.id)
      throw conflict(
        kind === 'chief'
          ? '不予许可由您本人在窗口审查中提出，须由另一位负责人审批（承办与审批分离）'
          : '延期由您本人申请，须由另一位负责人审批（承办与审批分离）',
      );

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

  /** Whether the user holds the role in the department (casbin grouping `g, user, role, department`). */
  private async holdsRole(userId: string, role: string, department: string): Promise<boolean> {
    const grants = await this.deps.auth.enforcer.getFilteredNamedGroupingPolicy('g', 0, userId, role);
    return grants.some(([, , domain]) => domain === department || domain === '*');
  }

  /**
   * Who proposed what a chief's task decides: the clerk whose review proposed the rejection, or who asked for the
   * extension (the application's latest such event). The chief who approves it must be someone else.
   */
  private async proposerOf(kind: TaskKind, applicationId: string): Promise<string | undefined> {
    const query = this.deps.knex('application_events').where({ application_id: applicationId });
    if (kind === 'chief') query.where({ kind: 'decision' }).whereRaw(`data->>'kind' = 'clerk' and data->>'decision' = 'reject'`);
    else query.where({ kind: 'extension-requested' });
    const last = await query
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first('data');
    return (last?.data as { by?: string } | undefined)?.by;
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
        // The task stays what it is: a chief's approval goes only to the chief, a clerk's task only to clerks.
        const kind = taskKindOf(row);
        const chief = needsChief(kind);
        if (to.user) {
          const colleague = await db('users').where({ id: to.user }).first('id', 'department', 'disabled');
          if (!colleague || colleague.disabled || colleague.department !== department)
            throw new AppError(400, 'VALIDATION_FAILED', `只能转给本部门的工作人员：${to.user}`, [
              { field: 'body.user', message: 'not of the department' },
            ]);
          if (!(await this.holdsRole(colleague.id, chief ? 'approver' : 'clerk', department)))
            throw new AppError(
              400,
              'VALIDATION_FAILED',
              `${to.user}不能办理这项待办：${chief ? '须转给本部门负责人' : '须转给本部门窗口工作人员'}`,
              [{ field: 'body.user', message: chief ? 'not an approver of the department' : 'not a clerk of the department' }],
            );
          return { assignee: colleague.id };
        }
        if (to.group) {
          const allowed = chief ? `${department}-chief` : department;
          if (to.group !== allowed)
            throw new AppError(400, 'VALIDATION_FAILED', `${KIND_NAMES[kind]}只能转给本部门的岗位：${allowed}`, [
              { field: 'body.group', message: `only ${allowed}` },
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
