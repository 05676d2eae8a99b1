import crypto from 'node:crypto';
import type { Principal } from '../auth/principal';
import { AppError, conflict } from '../errors';
import { isEmpty } from '../../workers/prefill/prefill-form';
import { nextCaseNumber } from './case-number';
import { missingOnDeployedForm } from './deployed-form';
import { confirmationDeadline } from './confirmations';
import { FINAL_STATUSES, type ApplicationStatus } from './statuses';
import { addEvent, loadApplication, materialsOf, specOf, type ApplicationDeps, type ApplicationRow } from './store';

export interface Submitted {
  id: string;
  /** `submitted`; for the same key sent again, the application's status now (e.g. `withdrawn`), not a stale answer. */
  status: ApplicationStatus;
  caseNumber: string;
}

const KEY = /^[\x21-\x7e]{8,200}$/;

/** The process a submitted application starts (shared/JOBS.md): `<matter-slug>-<action>`. */
export const processIdOf = (row: Pick<ApplicationRow, 'matter_slug' | 'action'>) => `${row.matter_slug}-${row.action}`;

/**
 * Submits a draft (`POST /applications/{id}/submit`): every required field and material present, a case number
 * given, the second party's confirmation made, then the matter's process started. The same Idempotency-Key again
 * answers the same and starts nothing; another key on a submitted application is 409. The submission commits before
 * the process starts; one the server did not live to start is started at the next start (`startUnstartedSubmissions`).
 */
export async function submit(
  deps: ApplicationDeps,
  principal: Principal,
  id: string,
  idempotencyKey: string | undefined,
): Promise<Submitted> {
  if (!idempotencyKey || !KEY.test(idempotencyKey)) {
    throw new AppError(400, 'VALIDATION_FAILED', '提交须带 Idempotency-Key 请求头（8到200个可见ASCII字符）', [
      { field: 'headers.idempotency-key', message: 'required, 8 to 200 visible ASCII characters' },
    ]);
  }
  const now = deps.clock.now();
  const outcome = await deps.knex.transaction(async (trx) => {
    const row = await loadApplication(trx, principal, id, { forUpdate: true, ownerOnly: true });
    if (row.submit_key === idempotencyKey) return { row, fresh: false };
    if (row.submit_key) throw conflict(`这件申请已经提交（办件编号 ${row.case_number}）`, { caseNumber: row.case_number });
    if (row.status !== 'draft') throw conflict(`这件申请的状态是"${row.status}"，不能提交`);
    const { matter, spec } = specOf(deps.matters, row);

    const problems: { field: string; message: string }[] = [];
    for (const field of spec.fields) {
      if (field.required && isEmpty(row.form[field.key]?.value))
        problems.push({ field: `form.${field.key}`, message: `请填写${field.label}` });
      if (field.type === 'checkbox' && field.required && row.form[field.key]?.value === false)
        problems.push({ field: `form.${field.key}`, message: `请确认：${field.label}` });
    }
    problems.push(...(await missingOnDeployedForm(trx, row, spec)));
    const handedIn = new Set((await materialsOf(trx, id)).filter((m) => !m.replaced_at).map((m) => m.material_code));
    for (const material of row.material_list) {
      if (material.required && !material.exemptBecause && material.channel !== 'generated' && !handedIn.has(material.code))
        problems.push({ field: `materials.${material.code}`, message: `请上传${material.name}` });
    }
    if (problems.length) throw new AppError(400, 'INCOMPLETE', `申请还不完整：${problems.map((p) => p.message).join('；')}`, problems);

    if (row.license_id) {
      const open = await trx('applications')
        .where({ matter_slug: row.matter_slug, license_id: row.license_id })
        .whereNot({ id })
        .whereNotIn('status', ['draft', ...FINAL_STATUSES])
        .first('case_number');
      if (open)
        throw new AppError(
          422,
          'NOT_ELIGIBLE',
          `这张许可证已有一件正在办理的申请（办件编号 ${open.case_number}），办结或撤回后才能再次申请`,
        );
    }
    const deployed = await trx('resources')
      .where({ kind: 'bpmn', resource_id: processIdOf(row) })
      .first('key');
    if (!deployed) throw new AppError(503, 'PROCESS_UNAVAILABLE', `"${matter.name}（${spec.name}）"的办理流程尚未部署，请稍后再试`);

    const caseNumber = await nextCaseNumber(trx, matter, now);
    const [submitted] = await trx('applications')
      .where({ id })
      .update({ status: 'submitted', submit_key: idempotencyKey, submitted_at: now, updated_at: now, case_number: caseNumber })
      .returning('*');
    if (spec.secondParty) {
      const idNumber = String(row.form[spec.secondParty.idField]?.value);
      await trx('confirmations').insert({
        token: crypto.randomBytes(24).toString('base64url'),
        application_id: id,
        role: spec.secondParty.role,
        id_number: idNumber,
        name: nameOfSecondParty(row, spec.secondParty.idField) ?? null,
        created_at: now,
        expires_at: confirmationDeadline(deps.matters.calendar, spec.secondParty.confirmWithin, now),
      });
    }
    await addEvent(trx, now, id, { kind: 'status', status: 'submitted', message: `已提交，办件编号 ${caseNumber}`, data: { caseNumber } });
    await deps.audit.append(
      {
        actor: principal.id,
        action: 'application.submitted',
        entityType: 'application',
        entityId: id,
        data: {
          caseNumber,
          idempotencyKey,
          // Handed in at the counter (窗口): the clerk submitted it on the holder's behalf.
          ...(row.channel === 'counter' ? { channel: 'counter', clerk: principal.id, onBehalfOf: row.applicant_id } : {}),
        },
      },
      trx,
    );
    return { row: submitted as ApplicationRow, fresh: true };
  });
  if (outcome.fresh) await startProcess(deps, outcome.row);
  return { id, status: outcome.fresh ? 'submitted' : outcome.row.status, caseNumber: outcome.row.case_number! };
}

/** The second party's name as the form holds it (the field right before their ID number, by convention `…Name`). */
function nameOfSecondParty(row: ApplicationRow, idField: string): string | undefined {
  const key = idField.replace(/IdNumber$/, 'Name');
  const value = row.form[key]?.value;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Starts the application's process and records its key; a failure leaves the submission for the next start to pick up.
 * An action with a second party also gets `confirmBy`: the instant its timer closes the case, the one the notice states.
 */
async function startProcess(deps: ApplicationDeps, row: ApplicationRow): Promise<void> {
  try {
    const confirmation = await deps.knex('confirmations').where({ application_id: row.id }).first('expires_at');
    const started = await deps.engine.startInstance({
      bpmnProcessId: processIdOf(row),
      variables: {
        applicationId: row.id,
        matterSlug: row.matter_slug,
        action: row.action,
        applicantId: row.applicant_id,
        sandbox: false,
        submittedAt: row.submitted_at!.toISOString(),
        ...(confirmation ? { confirmBy: new Date(confirmation.expires_at).toISOString() } : {}),
      },
      actor: row.applicant_id,
    });
    await deps.knex('applications').where({ id: row.id }).update({ process_instance_key: started.key });
  } catch (error) {
    deps.log.error('submitted application not started; it is retried at the next start', { applicationId: row.id, error: String(error) });
  }
}

/**
 * Submissions committed whose process never started (the server stopped in between), started now. An instance that did
 * start but whose key was not recorded is found by its applicationId (`engine.findApplicationInstance`), not started twice.
 */
export async function startUnstartedSubmissions(deps: ApplicationDeps): Promise<number> {
  const rows: ApplicationRow[] = await deps
    .knex('applications')
    .where({ status: 'submitted', sandbox: false })
    .whereNull('process_instance_key');
  let started = 0;
  for (const row of rows) {
    const existing = await deps.engine.findApplicationInstance(processIdOf(row), row.id);
    if (existing) {
      await deps.knex('applications').where({ id: row.id }).update({ process_instance_key: existing });
      continue;
    }
    await startProcess(deps, row);
    started++;
  }
  return started;
}
