import { conditionHolds, conditionSettled, isAsked, questionsOf } from './conditions';
import type { ActionId, Answers, Material, Matter, Question, Situation } from './schema';

export interface AnswerProblem {
  field: string;
  message: string;
}

/** Each answer names a question of this action and one of its values (a list of distinct values for a multiple choice). */
export function answerProblems(matter: Matter, action: ActionId, answers: Record<string, unknown>): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const questions = questionsOf(matter, action);
  for (const [id, value] of Object.entries(answers)) {
    const field = `body.answers.${id}`;
    const question = questions.find((q) => q.id === id);
    if (!question) {
      const elsewhere = matter.questions.some((q) => q.id === id);
      problems.push({ field, message: elsewhere ? `问题"${id}"不属于"${matter.actions[action]!.name}"` : `没有这个问题："${id}"` });
      continue;
    }
    const allowed = question.options.map((o) => o.value);
    const values = question.multiple ? value : [value];
    if (!Array.isArray(values) || !values.length || values.some((v) => typeof v !== 'string')) {
      problems.push({ field, message: question.multiple ? '请以列表给出一个或多个选项' : '请给出一个选项' });
      continue;
    }
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length) problems.push({ field, message: `"${unknown.join('", "')}"不是可选答案，可选：${allowed.join('、')}` });
    else if (new Set(values).size !== values.length) problems.push({ field, message: '同一选项选了两次' });
  }
  return problems;
}

/** The answers that count: those to questions actually put, given the earlier answers; answers left over from another path are dropped. */
export function effectiveAnswers(matter: Matter, action: ActionId, answers: Answers): Answers {
  const effective: Answers = {};
  for (const question of questionsOf(matter, action)) {
    if (answers[question.id] !== undefined && isAsked(question, effective)) effective[question.id] = answers[question.id];
  }
  return effective;
}

/** Refusals the answers themselves carry (e.g. a change of address needs a new application), in plain Chinese. */
export function answerRefusals(matter: Matter, action: ActionId, answers: Answers): string[] {
  return questionsOf(matter, action).flatMap((question) => {
    const chosen = answers[question.id];
    if (chosen === undefined) return [];
    const values = Array.isArray(chosen) ? chosen : [chosen];
    return question.options.filter((o) => o.refuse && values.includes(o.value)).map((o) => o.refuse!);
  });
}

/** The first question still to answer; none once the answers settle everything, or once an answer already refuses. */
export function nextQuestion(matter: Matter, action: ActionId, answers: Answers): Question | undefined {
  if (answerRefusals(matter, action, answers).length) return undefined;
  return questionsOf(matter, action).find((q) => answers[q.id] === undefined && isAsked(q, answers));
}

export function situationOf(matter: Matter, action: ActionId, answers: Answers): Situation | undefined {
  if (nextQuestion(matter, action, answers)) return undefined;
  return matter.situations.find((s) => s.actions.includes(action) && conditionHolds(s.when, answers));
}

/** The materials the answers so far settle as needed; one that hangs on an unanswered question appears once it is answered. */
export function materialsFor(matter: Matter, action: ActionId, answers: Answers): Material[] {
  return matter.materials.filter(
    (m) =>
      m.actions.includes(action) &&
      (m.requirement !== 'conditional' || (conditionSettled(m.when, answers) && conditionHolds(m.when, answers))),
  );
}
