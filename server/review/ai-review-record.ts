import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { MatterCatalog } from '../matters/catalog';
import { specOf, type ApplicationRow, type MaterialRow } from '../applications/store';
import type { StoredReading } from '../applications/material-reading';
import { isEmpty } from '../../workers/prefill/prefill-form';
import { AiReviewError, PROMPT_VERSION, type AdvisoryModel, type CaseForReview } from '../../workers/ai-review/index';
import type { AiReviewRecord } from '../../workers/ai-review';

export interface AiReviewDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  matters: MatterCatalog;
}

const FAILURE: Record<AiReviewError['code'], string> = {
  timeout: '模型未在时限内应答',
  unavailable: '模型服务无法连接',
  status: '模型服务返回错误',
  malformed: '模型应答格式不正确',
  schema: '模型应答不符合约定的格式',
};

/** What the model is shown: the review points of the action, the filled form fields, each material's OCR fields and text. */
export async function caseForReview(deps: Pick<AiReviewDeps, 'knex' | 'matters'>, row: ApplicationRow): Promise<CaseForReview> {
  const { matter, spec } = specOf(deps.matters, row);
  const materials: MaterialRow[] = await deps.knex('application_materials').where({ application_id: row.id }).whereNull('replaced_at');
  return {
    matter: matter.name,
    action: spec.name,
    reviewPoints: matter.reviewPoints.filter((p) => p.actions.includes(row.action)).map((p) => ({ id: p.id, text: p.text })),
    form: spec.fields
      .filter((f) => row.form[f.key] && !isEmpty(row.form[f.key].value))
      .map((f) => ({ key: f.key, label: f.label, value: row.form[f.key].value })),
    materials: materials
      .filter((m) => m.ocr)
      .map((m) => {
        const reading = m.ocr as StoredReading;
        const fields = Object.fromEntries(Object.entries(reading.fields ?? {}).map(([key, field]) => [key, field.value]));
        const name = matter.materials.find((listed) => listed.code === m.material_code)?.name ?? m.material_code;
        const documentType = reading.documentType ? { documentType: reading.documentType } : {};
        return { code: m.material_code, name, ...documentType, fields, text: reading.text ?? '' };
      }),
  };
}

/**
 * The `ai-review` job: the model's advisory findings on the application, on its timeline (and in the audit log, with
 * the model and prompt version) once per job. A model that gives no usable answer is recorded as such, never thrown:
 * the case goes on by the rules alone.
 */
export async function recordAiReview(
  deps: AiReviewDeps,
  model: AdvisoryModel,
  applicationId: string,
  jobKey: string,
): Promise<AiReviewRecord | 'unknown-application'> {
  const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
  if (!row) return 'unknown-application';
  // A job handed out again answers what the first run recorded: the model is asked once per job.
  const seen = await deps.knex('application_events').where({ application_id: applicationId, job_key: jobKey }).first('data');
  if (seen) return seen.data as AiReviewRecord;
  let outcome: AiReviewRecord;
  let message: string;
  try {
    const answer = await model.review(await caseForReview(deps, row));
    outcome = { findings: answer.findings, model: answer.model, promptVersion: answer.promptVersion };
    message = answer.findings.length
      ? `智能辅助审查（${answer.model}）：${answer.findings.length}项提示，仅供参考（${answer.findings.map((f) => f.message).join('；')}）`
      : `智能辅助审查（${answer.model}）：未发现需要提示的问题`;
    if (answer.downgraded || answer.dropped)
      deps.log.warn('AI review answer adjusted', { applicationId, downgraded: answer.downgraded, dropped: answer.dropped });
  } catch (error) {
    if (!(error instanceof AiReviewError)) throw error;
    outcome = { findings: [], model: model.model, promptVersion: PROMPT_VERSION, failed: error.code };
    message = `智能辅助审查未完成（${FAILURE[error.code]}），按审查规则继续办理`;
    deps.log.warn('AI review gave no usable answer', { applicationId, code: error.code, error: error.message });
  }
  const now = deps.clock.now();
  await deps.knex.transaction(async (trx) => {
    if (await trx('application_events').where({ application_id: applicationId, job_key: jobKey }).first('id')) return;
    await trx('application_events').insert({
      application_id: applicationId,
      at: now,
      kind: 'ai-review',
      message,
      data: JSON.stringify(outcome),
      job_key: jobKey,
    });
    await deps.audit.append(
      {
        actor: `process:${row.process_instance_key ?? ''}`,
        action: 'application.ai-reviewed',
        entityType: 'application',
        entityId: applicationId,
        data: { ...outcome, findings: outcome.findings.map((f) => f.point) },
      },
      trx,
    );
  });
  return outcome;
}
