import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { EnginePort } from '../engine/port';
import { AppError, conflict } from '../errors';
import type { MatterCatalog } from '../matters/catalog';
import { pausesOf } from '../applications/pauses';
import { addEvent, specOf, type ApplicationRow } from '../applications/store';
import type { Worklist } from './tasks';

export interface TimeLimitDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  engine: EnginePort;
  matters: MatterCatalog;
  worklist: Worklist;
}

const invalid = (field: string, message: string) => new AppError(400, 'VALIDATION_FAILED', message, [{ field, message }]);
const refused = (message: string) => new AppError(422, 'BUSINESS_RULE', message);

/**
 * The clerk's hold on the time limit of a case under review (行政许可法 第四十二条、第四十五条): a suspension (中止)
 * stops the clock until the case resumes; an extension (延期), once the chief approves it, adds days the matter allows.
 * Both are messages to the case's process, which leaves the review task, waits (or asks the chief), recomputes
 * `dueDate` and `warnAt` with the `deadline` job, and opens the review again. Only where the matter allows them, and
 * only by the clerk who holds the review.
 */
export class CaseTimeLimits {
  constructor(private readonly deps: TimeLimitDeps) {}

  /** The review task the caller holds, and its application. */
  private async heldReview(principal: Principal, taskId: string) {
    const task = await this.deps.worklist.get(principal, taskId);
    if (task.state === 'done') throw conflict('这项待办已办结');
    if (task.formId !== 'common-clerk-review') throw conflict('只有窗口审查环节可以中止或申请延期');
    if (task.assignee !== principal.id) throw conflict(task.assignee ? `这项待办由${task.assignee}认领` : '请先认领再办理');
    const application = (await this.deps.knex('applications').where({ id: task.application!.id }).first()) as ApplicationRow;
    return { task, application, ...specOf(this.deps.matters, application) };
  }

  async suspend(principal: Principal, taskId: string, input: { reason?: string }) {
    const reason = input.reason?.trim();
    if (!reason) throw invalid('body.reason', '中止办理须写明原因（如等待现场核查、检验检测或专家评审）');
    const { task, application, spec, matter } = await this.heldReview(principal, taskId);
    if (!spec.suspensionAllowed) throw refused(`${matter.name}（${spec.name}）依法不适用中止办理`);
    const now = this.deps.clock.now();
    await this.deps.knex.transaction(async (trx) => {
      await addEvent(trx, now, application.id, { kind: 'suspension', message: `中止办理：${reason}`, data: { reason, by: principal.id, taskId: task.id } });
      await this.deps.audit.append(
        { actor: principal.id, action: 'application.suspended', entityType: 'application', entityId: application.id, data: { reason, taskId: task.id } },
        trx,
      );
    });
    await this.deps.engine.publishMessage({
      name: 'case-suspended',
      correlationKey: application.id,
      messageId: `case-suspended-${task.id}`,
      variables: { suspension: { from: now.toISOString(), reason } },
    });
    return { applicationId: application.id, suspended: true, since: now.toISOString() };
  }

  /** Ends the suspension of a case of the caller's department: the pause is counted out and the review opens again. */
  async resume(principal: Principal, applicationId: string, input: { comment?: string }) {
    const application = (await this.deps.knex('applications').where({ id: applicationId }).first('id', 'department')) as
      | Pick<ApplicationRow, 'id' | 'department'>
      | undefined;
    if (!application || (!principal.roles.includes('admin') && application.department !== principal.department))
      throw new AppError(404, 'NOT_FOUND', `没有这个办件：${applicationId}`);
    const now = this.deps.clock.now();
    const pauses = await this.deps.knex.transaction(async (trx) => {
      const last = await trx('application_events')
        .where({ application_id: applicationId })
        .whereIn('kind', ['suspension', 'resumption'])
        .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .first('kind');
      if (last?.kind !== 'suspension') throw conflict('这个办件没有中止，无需恢复');
      const comment = input.comment?.trim();
      await addEvent(trx, now, applicationId, { kind: 'resumption', message: `恢复办理${comment ? `：${comment}` : ''}`, data: { by: principal.id } });
      await this.deps.audit.append(
        { actor: principal.id, action: 'application.resumed', entityType: 'application', entityId: applicationId, data: { comment: comment ?? null } },
        trx,
      );
      return pausesOf(trx, applicationId, now);
    });
    await this.deps.engine.publishMessage({
      name: 'case-resumed',
      correlationKey: applicationId,
      messageId: `case-resumed-${applicationId}-${now.getTime()}`,
      variables: { pauses },
      // The process may still be leaving the review task for the suspension.
      timeToLiveMs: 60 * 60_000,
    });
    return { applicationId, resumed: true, pauses };
  }

  /** The days of extension the chief has approved so far: each request followed by the chief's approval. */
  private async grantedDays(applicationId: string): Promise<number> {
    const events: { kind: string; data: { days?: number; kind?: string; decision?: string } | null }[] = await this.deps
      .knex('application_events')
      .where({ application_id: applicationId })
      .whereIn('kind', ['extension-requested', 'decision'])
      .orderBy(['at', 'id'])
      .select('kind', 'data');
    let asked = 0;
    let granted = 0;
    for (const event of events) {
      if (event.kind === 'extension-requested') asked = event.data?.days ?? 0;
      else if (event.data?.kind === 'extension') {
        if (event.data.decision === 'approve') granted += asked;
        asked = 0;
      }
    }
    return granted;
  }

  /** Asks the chief for more days (延期); the process recomputes the due date once the chief approves. */
  async requestExtension(principal: Principal, taskId: string, input: { days?: number; reason?: string }) {
    const reason = input.reason?.trim();
    if (!reason) throw invalid('body.reason', '申请延期须写明理由（将告知申请人）');
    const { task, application, spec, matter } = await this.heldReview(principal, taskId);
    if (!spec.extension.allowed) throw refused(`${matter.name}（${spec.name}）依法不能延期`);
    const granted = await this.grantedDays(application.id);
    const left = spec.extension.maxDays! - granted;
    const days = input.days;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > left)
      throw invalid('body.days', left > 0 ? `延期天数应为1至${left}个工作日` : `已延期${granted}日，不能再延期`);
    const now = this.deps.clock.now();
    await this.deps.knex.transaction(async (trx) => {
      await addEvent(trx, now, application.id, {
        kind: 'extension-requested',
        message: `申请延期${days}个工作日：${reason}`,
        data: { days, reason, by: principal.id, taskId: task.id },
      });
      await this.deps.audit.append(
        { actor: principal.id, action: 'application.extension-requested', entityType: 'application', entityId: application.id, data: { days, reason } },
        trx,
      );
    });
    await this.deps.engine.publishMessage({
      name: 'extension-requested',
      correlationKey: application.id,
      messageId: `extension-requested-${task.id}`,
      variables: { extensionRequest: { days, reason, requestedBy: principal.id } },
    });
    return { applicationId: application.id, extensionRequested: { days, reason } };
  }
}
