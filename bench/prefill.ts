/**
 * Prefill and exemption figures per matter and action, as the demo users meet them: a first application (registry
 * and e-licence library only), and one after an earlier application of the same matter (history too). Prints one
 * JSON line: per case the fields, those prefilled, those left to type at creation and once the second party is named
 * (`toType`), and the ratios. `npm run bench:prefill`
 */
import { startTestServer, type TestServer } from '../test/support/server';
import { PDFDocument } from 'pdf-lib';
import { round } from './support';

interface Case {
  matter: string;
  action: string;
  user: string;
  answers: Record<string, string | string[]>;
  /** Fields the applicant names first (the employee), after which the platform fills more. */
  naming?: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    matter: 'public-place-hygiene-permit',
    action: 'apply',
    user: 'enterprise2',
    answers: { venueType: 'accommodation', commitmentMode: 'commit', airConditioning: 'no', agent: 'self' },
  },
  {
    matter: 'public-place-hygiene-permit',
    action: 'change',
    user: 'enterprise1',
    answers: { changeItems: ['legal-representative'], agent: 'self' },
  },
  {
    matter: 'public-place-hygiene-permit',
    action: 'renew',
    user: 'enterprise1',
    answers: { renewChanges: 'none', airConditioning: 'no', agent: 'self' },
  },
  { matter: 'public-place-hygiene-permit', action: 'cancel', user: 'enterprise1', answers: { cancelReason: 'stopped', agent: 'self' } },
  {
    matter: 'publication-licence-reissue',
    action: 'apply',
    user: 'enterprise1',
    answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' },
  },
  {
    matter: 'dangerous-goods-staff-employer-change',
    action: 'apply',
    user: 'enterprise3',
    answers: { staffCategory: 'driver', certificateOrigin: 'local' },
    naming: { staffIdNumber: '360426199101010071' },
  },
];

async function figures(server: TestServer, c: Case) {
  const token = await server.login(c.user);
  const created = await server.request('POST', '/api/v1/applications', {
    token,
    json: { matter: c.matter, action: c.action, answers: c.answers },
  });
  if (created.status !== 201) throw new Error(`${c.matter} ${c.action}: ${created.status} ${created.text}`);
  let draft = created.body;
  const toTypeAtCreation = (draft.prefill.toType as string[]).length;
  if (c.naming) draft = (await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token, json: { form: c.naming } })).body;
  const fields = draft.prefill.totalFields as number;
  const filled = Object.values(draft.form as Record<string, { value: unknown; source: string }>).filter(
    (f) => f.value !== null && f.source !== 'applicant',
  ).length;
  const materials = draft.materials as { exemptBecause?: string }[];
  return {
    draft,
    token,
    line: {
      fields,
      prefilled: filled,
      toTypeAtCreation,
      toType: draft.prefill.toType.length,
      prefillRatio: round(filled / fields, 2),
      materials: materials.length,
      exempted: materials.filter((m) => m.exemptBecause).length,
      exemptionRatio: round(materials.filter((m) => m.exemptBecause).length / Math.max(1, materials.length), 2),
    },
  };
}

/** Completes and submits a draft so that it becomes the applicant's history, then withdraws it to free the licence. */
async function submitAndWithdraw(server: TestServer, draft: any, token: string) {
  const pdf = await PDFDocument.create();
  pdf.addPage();
  const bytes = await pdf.save();
  for (const m of draft.materials as { code: string; required: boolean; exemptBecause?: string; channel: string }[]) {
    if (!m.required || m.exemptBecause || m.channel === 'generated') continue;
    const body = new FormData();
    body.append('materialCode', m.code);
    body.append('file', new Blob([new Uint8Array(bytes)]), `${m.code}.pdf`);
    const uploaded = await server.request('POST', `/api/v1/applications/${draft.id}/materials`, { token, body });
    if (uploaded.status !== 201) throw new Error(`upload ${m.code}: ${uploaded.text}`);
  }
  const typed: Record<string, unknown> = {};
  for (const key of draft.prefill.toType as string[]) typed[key] = SAMPLE[key] ?? '示例';
  const patched = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token, json: { form: typed } });
  if (patched.status !== 200) throw new Error(`fill ${draft.matter}: ${patched.text}`);
  const submitted = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
    token,
    headers: { 'idempotency-key': `bench-${draft.id}` },
  });
  if (submitted.status !== 202) throw new Error(`submit ${draft.matter}: ${submitted.text}`);
  await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token });
}

const SAMPLE: Record<string, unknown> = {
  premisesName: '明德书香咖啡馆',
  premisesAddress: '北京市东城区东四北大街107号',
  businessItems: 'accommodation',
  floorArea: 320,
  staffCount: 12,
  certifiedStaffCount: 12,
  hygieneManager: '陈晓东',
  hygieneManagerPhone: '13912345678',
  contactName: '陈晓东',
  contactPhone: '13912345678',
  commitmentAccepted: true,
  statementAccepted: true,
  changeReason: '法定代表人变更',
  registrationChangeDate: '2026-11-02',
  renewNote: '场所未调整',
  stopDate: '2026-11-20',
  reissueCopies: 'original',
  lossDate: '2026-11-01',
  lossCircumstances: '搬迁时遗失',
  employmentStart: '2026-11-20',
};

const server = await startTestServer();
try {
  const first: Record<string, unknown> = {};
  const again: Record<string, unknown> = {};
  // Every first draft before any submission: none of them has history to draw on.
  const drafts = [];
  for (const c of CASES) {
    const made = await figures(server, c);
    first[`${c.matter}/${c.action}`] = made.line;
    drafts.push(made);
  }
  for (const { draft, token } of drafts) await submitAndWithdraw(server, draft, token);
  for (const c of CASES) again[`${c.matter}/${c.action}`] = (await figures(server, c)).line;
  console.log(JSON.stringify({ database: server.database.kind, firstApplication: first, withHistory: again }));
} finally {
  await server.close();
}
