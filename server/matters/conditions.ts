import type { ActionId, Answers, Condition, Matter, Question } from './schema';

/** Every question of the condition is answered with one of its values (for a multiple choice, any chosen value counts). */
export function conditionHolds(condition: Condition | undefined, answers: Answers): boolean {
  return Object.entries(condition ?? {}).every(([question, values]) => {
    const answer = answers[question];
    if (answer === undefined) return false;
    return (Array.isArray(answer) ? answer : [answer]).some((value) => values.includes(value));
  });
}

/** The condition refers only to questions already answered, so whether it holds is settled. */
export const conditionSettled = (condition: Condition | undefined, answers: Answers): boolean =>
  Object.keys(condition ?? {}).every((question) => answers[question] !== undefined);

export const questionsOf = (matter: Matter, action: ActionId): Question[] => matter.questions.filter((q) => q.actions.includes(action));

/** Whether the question is put to this applicant, given the answers so far. */
export const isAsked = (question: Question, answers: Answers): boolean => conditionHolds(question.askWhen, answers);
