import { shanghaiDate } from '../calendar/local-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { AppError } from '../errors';
import { checkEligibility, type Caller } from './eligibility';
import { exemptionOf } from './exemptions';
import { answerProblems, answerRefusals, effectiveAnswers, materialsFor, nextQuestion, situationOf } from './questionnaire';
import { ACTIONS, type ActionId, type Answers, type Matter } from './schema';
import type { EligibilitySources, ExemptionSources } from './sources';

export interface GuidanceRequest {
  action: string;
  answers?: Record<string, unknown>;
  licenseId?: string;
}

export interface GuidanceContext {
  /** The signed-in caller; guidance without one has no exemptions of the caller's own and no pre-check. */
  caller?: Caller;
  calendar: WorkingCalendar;
  now: Date;
  exemptions: ExemptionSources;
  eligibility: EligibilitySources;
}

export interface GuidanceQuestion {
  id: string;
  text: string;
  help?: string;
  multiple: boolean;
  options: { value: string; label: string }[];
}

export interface GuidanceMaterial {
  code: string;
  name: string;
  required: boolean;
  exemptBecause?: string;
}

export interface Guidance {
  matter: string;
  action: ActionId;
  situation: { id: string; name: string } | null;
  nextQuestion?: GuidanceQuestion;
  materials: GuidanceMaterial[];
  eligible?: boolean;
  reasons: string[];
}

/**
 * The progressive questionnaire (问诊式导办) of shared/API.md: the next question, the situation once settled, the
 * materials the answers settle (each marked exempt when the platform can fetch it), and the eligibility pre-check.
 * Refusing answers are reasons for anyone; the caller's own checks need a caller.
 */
export async function guide(matter: Matter, request: GuidanceRequest, context: GuidanceContext): Promise<Guidance> {
  const action = request.action as ActionId;
  const spec = ACTIONS.includes(action) ? matter.actions[action] : undefined;
  if (!spec) {
    const offered = ACTIONS.filter((a) => matter.actions[a]);
    throw new AppError(400, 'VALIDATION_FAILED', `"${matter.name}"没有"${request.action}"这项业务，可办：${offered.join(', ')}`, [
      { field: 'body.action', message: `must be one of ${offered.join(', ')}` },
    ]);
  }
  const raw = request.answers ?? {};
  const problems = answerProblems(matter, action, raw);
  if (problems.length) {
    throw new AppError(400, 'VALIDATION_FAILED', `答案有误：${problems.map((p) => `${p.field} ${p.message}`).join('；')}`, problems);
  }
  const answers = effectiveAnswers(matter, action, raw as Answers);
  const question = nextQuestion(matter, action, answers);
  const situation = situationOf(matter, action, answers);
  const holderCode = context.caller?.code ?? null;
  const materials = await Promise.all(
    materialsFor(matter, action, answers).map(async (m) => {
      const exemptBecause = await exemptionOf(m, matter, spec, holderCode, context.exemptions);
      return { code: m.code, name: m.name, required: m.requirement !== 'optional', ...(exemptBecause ? { exemptBecause } : {}) };
    }),
  );
  const refusals = answerRefusals(matter, action, answers);
  const checked = context.caller
    ? await checkEligibility({
        matter,
        action: spec,
        caller: context.caller,
        licenseId: request.licenseId,
        today: shanghaiDate(context.now),
        calendar: context.calendar,
        sources: context.eligibility,
      })
    : undefined;
  const reasons = [...refusals, ...(checked?.reasons ?? [])];
  const eligible = refusals.length ? false : checked?.eligible;
  return {
    matter: matter.slug,
    action,
    situation: situation ? { id: situation.id, name: situation.name } : null,
    ...(question ? { nextQuestion: toQuestion(question) } : {}),
    materials,
    ...(eligible !== undefined ? { eligible } : {}),
    reasons,
  };
}

function toQuestion(question: NonNullable<ReturnType<typeof nextQuestion>>): GuidanceQuestion {
  return {
    id: question.id,
    text: question.text,
    ...(question.help ? { help: question.help } : {}),
    multiple: question.multiple,
    options: question.options.map((o) => ({ value: o.value, label: o.label })),
  };
}
