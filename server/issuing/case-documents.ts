import crypto from 'node:crypto';
import { shanghaiDate } from '../calendar/local-date';
import { specOf, type ApplicationRow } from '../applications/store';
import { renderAcceptanceNotice, renderDecision, renderLicense, renderRefusalNotice, signPdf } from '../../workers/esign/index';
import type { SignDocuments, SignedDocument, SignRequest, SignOutcome } from '../../workers/esign';
import { verifyUrlOf, type IssuingDeps } from './issuing-deps';
import { licenseToIssue } from './license-to-issue';

type DocumentRow = SignedDocument;

const DOCUMENT_NAMES: Record<DocumentRow['kind'], string> = {
  licence: '电子证照',
  decision: '行政许可决定书',
  'acceptance-notice': '受理通知书',
  'refusal-notice': '不予受理决定书',
};

/** The documents of a decision; the letters of acceptance are signed on their own, before it. */
const DECISION_KINDS: DocumentRow['kind'][] = ['licence', 'decision'];

type Made = { kind: DocumentRow['kind']; bytes: Buffer; license?: Awaited<ReturnType<typeof licenseToIssue>> };

/**
 * The `esign` job: the decided case's documents, rendered and signed with the issuing department's key, stored by
 * SHA-256 and recorded once per application (a job run twice signs nothing new). An approval gets the licence (none for
 * a cancellation) and the decision letter; a rejection the decision letter with its reasons.
 */
export const signCaseDocuments =
  (deps: IssuingDeps): SignDocuments =>
  async (request) => {
    const { applicationId, reasons } = request;
    const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
    if (!row) return { kind: 'unknown-application' };
    if (request.document) return signAcceptanceLetter(deps, row, request);
    const existing: DocumentRow[] = await deps
      .knex('documents')
      .where({ application_id: applicationId })
      .whereIn('kind', DECISION_KINDS)
      .select('id', 'kind');
    if (existing.length) return { kind: 'signed', documents: existing };
    if (row.status !== 'approved' && row.status !== 'rejected') return { kind: 'not-decided', status: row.status };

    const { matter, spec } = specOf(deps.matters, row);
    const now = deps.clock.now();
    const today = shanghaiDate(now);
    const signer = await deps.keyStore.signerFor({ code: matter.department.code, name: matter.department.name });
    const held = row.license_id ? await deps.registries.licenses.find(row.license_id) : await secondPartyLicense(deps, row);
    const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('display_name');
    const approved = row.status === 'approved';
    const license = approved ? await licenseToIssue(deps.knex, { row, matter, spec, held, today }) : undefined;

    const made: Made[] = [];
    if (license) {
      const pdf = await renderLicense(license, { verifyUrl: verifyUrlOf(deps.publicUrl, license.id), createdAt: now });
      made.push({
        kind: 'licence',
        bytes: await signPdf(pdf, signer, { reason: '颁发电子证照', location: matter.department.name, signingTime: now }),
        license,
      });
    }
    const decision = await renderDecision(
      {
        caseNumber: row.case_number ?? '',
        applicantName: applicant?.display_name ?? '',
        matterName: `${matter.name}（${spec.name}）`,
        submittedOn: shanghaiDate(new Date(row.submitted_at ?? now)),
        department: { name: matter.department.name },
        outcome: approved ? 'approve' : 'reject',
        acceptedOn: shanghaiDate(new Date(request.acceptedAt ?? row.submitted_at ?? now)),
        decidedOn: today,
        legalBasis: matter.legalBasis.map((b) => `${b.name}${b.article ?? ''}`),
        ...(license
          ? {
              license: { typeName: license.typeName, number: license.number, validFrom: license.validFrom, validUntil: license.validUntil },
            }
          : {}),
        ...(approved ? {} : { reasons: reasons.length ? reasons : ['经审查，申请不符合法定条件'] }),
      },
      { createdAt: now },
    );
    made.push({
      kind: 'decision',
      bytes: await signPdf(decision, signer, { reason: '作出行政许可决定', location: matter.department.name, signingTime: now }),
    });

    return store(deps, row, signer.department.name, matter.department.code, made, license?.id ?? null);
  };

/** The second party's licence an action re-issues (e.g. the employee's qualification certificate). */
async function secondPartyLicense(deps: IssuingDeps, row: ApplicationRow) {
  const { spec } = specOf(deps.matters, row);
  if (spec.issues?.holder !== 'second-party' || !spec.secondParty) return undefined;
  const code = row.form[spec.secondParty.idField]?.value;
  if (typeof code !== 'string') return undefined;
  const held = await deps.registries.licenses.byHolder(code, spec.issues.licenseType);
  return held.find((l) => l.status === 'valid');
}

/**
 * The 受理通知书 of an accepted case (while it is under review) or the 不予受理决定书 of a refused one (once closed),
 * signed once per application.
 */
async function signAcceptanceLetter(deps: IssuingDeps, row: ApplicationRow, request: SignRequest): Promise<SignOutcome> {
  const kind = request.document!;
  const existing: DocumentRow[] = await deps.knex('documents').where({ application_id: row.id, kind }).select('id', 'kind');
  if (existing.length) return { kind: 'signed', documents: existing };
  const expected = kind === 'acceptance-notice' ? ['manual_review', 'reviewing'] : ['closed'];
  if (!expected.includes(row.status)) return { kind: 'not-decided', status: row.status };
  const { matter, spec } = specOf(deps.matters, row);
  const now = deps.clock.now();
  const signer = await deps.keyStore.signerFor({ code: matter.department.code, name: matter.department.name });
  const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('display_name');
  const facts = {
    caseNumber: row.case_number ?? '',
    applicantName: applicant?.display_name ?? '',
    matterName: `${matter.name}（${spec.name}）`,
    submittedOn: shanghaiDate(new Date(row.submitted_at ?? now)),
    department: { name: matter.department.name },
  };
  const pdf =
    kind === 'acceptance-notice'
      ? await renderAcceptanceNotice(
          {
            ...facts,
            acceptedOn: shanghaiDate(request.acceptedAt ? new Date(request.acceptedAt) : now),
            timeLimitDays: spec.promisedTimeLimit.value,
            materials: row.material_list.filter((m) => !m.exemptBecause).map((m) => m.name),
          },
          { createdAt: now },
        )
      : await renderRefusalNotice(
          { ...facts, decidedOn: shanghaiDate(now), reasons: request.reasons.length ? request.reasons : ['申请事项依法不属于本机关职权范围'] },
          { createdAt: now },
        );
  const reason = kind === 'acceptance-notice' ? '受理行政许可申请' : '不予受理行政许可申请';
  const bytes = await signPdf(pdf, signer, { reason, location: matter.department.name, signingTime: now });
  return store(deps, row, signer.department.name, matter.department.code, [{ kind, bytes }], null);
}

/** The signed documents stored by SHA-256 and recorded once per application and kind, with the timeline and audit rows. */
async function store(
  deps: IssuingDeps,
  row: ApplicationRow,
  signerName: string,
  departmentCode: string,
  made: Made[],
  licenseId: string | null,
): Promise<SignOutcome> {
  const applicationId = row.id;
  const now = deps.clock.now();
  const stored: (Made & { file: { sha256: string; size: number } })[] = [];
  for (const document of made) stored.push({ ...document, file: await deps.storage.put(document.bytes, { maxBytes: 50 * 1024 * 1024 }) });
  const documents: SignedDocument[] = await deps.knex.transaction(async (trx) => {
    const rows: SignedDocument[] = [];
    for (const document of stored) {
      const id = crypto.randomUUID();
      const inserted = await trx('documents')
        .insert({
          id,
          application_id: applicationId,
          kind: document.kind,
          sha256: document.file.sha256,
          size: document.file.size,
          signer: signerName,
          signed_at: now,
          license_id: document.license?.id ?? null,
          license: document.license ? JSON.stringify(document.license) : null,
        })
        .onConflict(['application_id', 'kind'])
        .ignore()
        .returning('id');
      if (inserted.length) rows.push({ id, kind: document.kind });
    }
    if (rows.length) {
      await trx('application_events').insert({
        application_id: applicationId,
        at: now,
        kind: 'documents',
        message: `${signerName}已签发：${rows.map((r) => DOCUMENT_NAMES[r.kind]).join('、')}`,
        data: JSON.stringify({ documents: rows }),
      });
      await deps.audit.append(
        {
          actor: `department:${departmentCode}`,
          action: 'application.documents-signed',
          entityType: 'application',
          entityId: applicationId,
          data: { documents: rows, licenseId },
        },
        trx,
      );
    }
    return rows;
  });
  // A concurrent run that stored first wins: answer with what is recorded.
  return {
    kind: 'signed',
    documents:
      documents.length === made.length
        ? documents
        : await deps
            .knex('documents')
            .where({ application_id: applicationId })
            .whereIn(
              'kind',
              made.map((m) => m.kind),
            )
            .select('id', 'kind'),
  };
}
