import type { z } from 'zod';
import { conditionHolds, isAsked, questionsOf } from './conditions';
import type { ActionId, Answers, Condition, Matter } from './schema';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

// Enumerating answer paths is how coverage is proven; a questionnaire beyond this is too big to check or to answer.
const MAX_ANSWER_PATHS = 20_000;

/** The references between the parts of a matter.json, which no single part's schema can see. */
export function checkMatterConsistency(matter: Matter, ctx: z.core.$RefinementCtx<Matter>): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const actions = Object.keys(matter.actions) as ActionId[];
  if (!actions.length) report(['actions'], 'a matter has at least one action');
  const licenseTypes = new Set(matter.licenseTypes.map((t) => t.code));
  const questions = new Map(matter.questions.map((q) => [q.id, q]));

  const unique = (values: string[], path: (i: number) => Path, what: string) =>
    values.forEach((value, i) => values.indexOf(value) !== i && report(path(i), `${what} "${value}" appears twice`));
  const knownActions = (list: ActionId[], path: Path) =>
    list.forEach((a, i) => !actions.includes(a) && report([...path, i], `the matter has no action "${a}"`));
  const knownLicense = (code: string, path: Path) =>
    !licenseTypes.has(code) && report(path, `licence type ${code} is not declared in licenseTypes`);
  const validCondition = (condition: Condition | undefined, forActions: ActionId[], path: Path, before?: number) => {
    for (const [id, values] of Object.entries(condition ?? {})) {
      const question = questions.get(id);
      if (!question) {
        report([...path, id], `no question "${id}"`);
        continue;
      }
      if (before !== undefined && matter.questions.indexOf(question) >= before)
        report([...path, id], `question "${id}" must come before the one it decides`);
      const missing = forActions.filter((a) => !question.actions.includes(a));
      if (missing.length) report([...path, id], `question "${id}" is not asked for ${missing.join(', ')}`);
      values.forEach(
        (v, i) => !question.options.some((o) => o.value === v) && report([...path, id, i], `question "${id}" has no answer "${v}"`),
      );
    }
  };

  const { basic, implementation } = matter.codes;
  if (!implementation.startsWith(matter.department.code) || !implementation.endsWith(basic)) {
    report(['codes', 'implementation'], '实施编码 is the department code, the level digit and the 基本编码, in that order');
  }
  unique(
    matter.licenseTypes.map((t) => t.code),
    (i) => ['licenseTypes', i, 'code'],
    'licence type',
  );
  for (const action of actions) {
    const spec = matter.actions[action]!;
    const at = (...rest: Path): Path => ['actions', action, ...rest];
    const { legalTimeLimit: legal, promisedTimeLimit: promised } = spec;
    if (legal.unit === promised.unit && promised.value > legal.value)
      report(at('promisedTimeLimit', 'value'), 'the promised time limit exceeds the legal one');
    if (spec.extension.allowed !== (spec.extension.maxDays !== undefined))
      report(at('extension'), 'an allowed extension needs maxDays, and only then');
    if (spec.requiredLicense) knownLicense(spec.requiredLicense.licenseType, at('requiredLicense', 'licenseType'));
    if (spec.issues) {
      const issues = spec.issues;
      knownLicense(issues.licenseType, at('issues', 'licenseType'));
      for (const [dataKey, fieldKey] of Object.entries(issues.data))
        if (!spec.fields.some((f) => f.key === fieldKey)) report(at('issues', 'data', dataKey), `no form field "${fieldKey}"`);
      if (issues.operation !== 'revoke' && issues.operation !== 'replace' && !issues.validYears)
        report(at('issues', 'validYears'), `an ${issues.operation} needs validYears`);
      const held =
        issues.holder === 'second-party'
          ? spec.fields.some(
              (f) => f.prefill.from === 'license' && f.prefill.holder === 'second-party' && f.prefill.licenseType === issues.licenseType,
            )
          : spec.requiredLicense?.licenseType === issues.licenseType;
      if (issues.operation !== 'issue' && !held)
        report(
          at('issues', 'operation'),
          `${issues.operation} needs the licence held: requiredLicense (or a second-party licence field) of that type`,
        );
    }
    if (spec.secondParty) {
      const idField = spec.fields.find((f) => f.key === spec.secondParty!.idField);
      if (!idField || idField.type !== 'id-number' || idField.prefill.from !== 'applicant')
        report(at('secondParty', 'idField'), 'the second party is named by a field of type id-number that the applicant fills');
    }
    const secondPartyPrefill = spec.fields.findIndex((f) => f.prefill.from !== 'applicant' && f.prefill.holder === 'second-party');
    if (secondPartyPrefill >= 0 && !spec.secondParty)
      report(at('fields', secondPartyPrefill, 'prefill', 'holder'), 'a second-party prefill needs the action to have a secondParty');
    if (spec.renewalWindow && !spec.requiredLicense)
      report(at('renewalWindow'), 'a renewal window needs requiredLicense (the licence renewed)');
    const window = spec.renewalWindow;
    if (window && window.opensBefore.unit === window.closesBefore.unit && window.opensBefore.value <= window.closesBefore.value)
      report(at('renewalWindow', 'opensBefore'), 'the renewal window opens before it closes: opensBefore is the larger span');
    const forms = spec.officialForms.map((f) => f.id);
    unique(forms, (i) => at('officialForms', i, 'id'), 'official form');
    unique(
      spec.fields.map((f) => f.key),
      (i) => at('fields', i, 'key'),
      'field',
    );
    spec.fields.forEach((field, i) => {
      field.forms.forEach((f, j) => !forms.includes(f) && report(at('fields', i, 'forms', j), `no official form "${f}" in this action`));
      const choice = field.type === 'select' || field.type === 'multiselect';
      if (choice !== Boolean(field.options))
        report(at('fields', i, 'options'), 'select and multiselect fields have options, other types none');
      if (field.prefill.from === 'license') knownLicense(field.prefill.licenseType, at('fields', i, 'prefill', 'licenseType'));
      if (field.prefill.from !== 'applicant' && field.prefill.holder === 'second-party' && !spec.secondParty)
        report(at('fields', i, 'prefill', 'holder'), 'a second party holds it, but the action has no secondParty');
    });
  }

  unique(
    matter.questions.map((q) => q.id),
    (i) => ['questions', i, 'id'],
    'question',
  );
  matter.questions.forEach((q, i) => {
    knownActions(q.actions, ['questions', i, 'actions']);
    unique(
      q.options.map((o) => o.value),
      (j) => ['questions', i, 'options', j, 'value'],
      'answer',
    );
    validCondition(q.askWhen, q.actions, ['questions', i, 'askWhen'], i);
  });
  unique(
    matter.situations.map((s) => s.id),
    (i) => ['situations', i, 'id'],
    'situation',
  );
  matter.situations.forEach((s, i) => {
    knownActions(s.actions, ['situations', i, 'actions']);
    validCondition(s.when, s.actions, ['situations', i, 'when']);
  });
  unique(
    matter.materials.map((m) => m.code),
    (i) => ['materials', i, 'code'],
    'material',
  );
  matter.materials.forEach((m, i) => {
    const at = (...rest: Path): Path => ['materials', i, ...rest];
    knownActions(m.actions, at('actions'));
    const conditional = m.requirement === 'conditional';
    if (conditional !== Boolean(m.when)) report(at('when'), 'a conditional material has a when, and only it');
    if (conditional !== Boolean(m.conditionText))
      report(at('conditionText'), 'a conditional material says its condition in conditionText, and only it');
    validCondition(m.when, m.actions, at('when'));
    if (m.source.channel === 'e-licence') knownLicense(m.source.licenseType, at('source', 'licenseType'));
    for (const [read, key] of Object.entries(m.ocr?.fields ?? {})) {
      const missing = m.actions.filter((a) => !matter.actions[a]?.fields.some((f) => f.key === key));
      if (missing.length) report(at('ocr', 'fields', read), `form field "${key}" is not in ${missing.join(', ')}`);
    }
    const second =
      (m.source.channel !== 'applicant' && m.source.channel !== 'generated' && m.source.holder === 'second-party') ||
      (m.source.channel === 'generated' && m.source.from === 'confirmation');
    if (second && m.actions.some((a) => !matter.actions[a]?.secondParty))
      report(at('source'), 'it comes from a second party, but an action of it has no secondParty');
  });
  unique(
    matter.reviewPoints.map((p) => p.id),
    (i) => ['reviewPoints', i, 'id'],
    'review point',
  );
  matter.reviewPoints.forEach((p, i) => knownActions(p.actions, ['reviewPoints', i, 'actions']));

  const used = new Set<string>();
  for (const c of [
    ...matter.questions.map((q) => q.askWhen),
    ...matter.situations.map((s) => s.when),
    ...matter.materials.map((m) => m.when),
  ]) {
    for (const id of Object.keys(c ?? {})) used.add(id);
  }
  matter.questions.forEach((q, i) => {
    if (!used.has(q.id) && !q.options.some((o) => o.refuse))
      report(['questions', i], `question "${q.id}" decides nothing: no situation, material or question depends on it`);
  });
  for (const action of actions) checkCoverage(matter, action, report);
}

/** Every way of answering an action's questionnaire (short of a refusing answer) leads to a situation. */
function checkCoverage(matter: Matter, action: ActionId, report: Report): void {
  const questions = questionsOf(matter, action);
  const situations = matter.situations.filter((s) => s.actions.includes(action));
  let paths = 0;
  const walk = (index: number, answers: Answers): boolean => {
    if (++paths > MAX_ANSWER_PATHS) {
      report(['questions'], `the questionnaire of ${action} has more than ${MAX_ANSWER_PATHS} answer paths`);
      return false;
    }
    const question = questions[index];
    if (!question) {
      if (situations.some((s) => conditionHolds(s.when, answers))) return true;
      report(['situations'], `no situation of ${action} fits the answers ${JSON.stringify(answers)}`);
      return false;
    }
    if (!isAsked(question, answers)) return walk(index + 1, answers);
    const usable = question.options.filter((o) => !o.refuse).map((o) => o.value);
    const choices: (string | string[])[] = question.multiple ? subsets(usable) : usable;
    return choices.every((choice) => walk(index + 1, { ...answers, [question.id]: choice }));
  };
  walk(0, {});
}

function subsets(values: string[]): string[][] {
  const all: string[][] = [];
  for (let mask = 1; mask < 1 << values.length; mask++) all.push(values.filter((_, i) => mask & (1 << i)));
  return all;
}
