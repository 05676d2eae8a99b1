import type { X509Certificate } from 'node:crypto';
import sharp from 'sharp';
import { GENESIS_HASH, rowHash, type AuditRow, type ChainedFields } from '../../../server/audit/chain';
import { PlatformKey } from '../../../server/audit/platform-key';
import {
  createKeyStore,
  renderAcceptanceNotice,
  renderDecision,
  renderLicense,
  signPdf,
  type DepartmentSigner,
} from '../../../workers/esign/index';
import type { CaseRecord, ClosedCase } from '../../../workers/archive/index';
import { CREATED_AT, HEALTH, hygienePermit, verifyUrl } from '../esign/fixtures';

export const ARCHIVED_AT = new Date('2026-03-20T09:00:00+08:00');

/** What a package needs besides the case: the platform key, the department's signer and the trust anchors. */
export interface ArchiveKit {
  platformKey: PlatformKey;
  signer: DepartmentSigner;
  trustAnchors: X509Certificate[];
  /** A photo (JPEG) and a scan (PNG) of modest size, as materials are. */
  photo: Buffer;
  scan: Buffer;
}

export async function archiveKit(dir: string): Promise<ArchiveKit> {
  const keys = createKeyStore({ devCaDir: `${dir}/ca` });
  const signer = await keys.signerFor(HEALTH);
  const noise = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#f4f1ea', noise: { type: 'gaussian', mean: 200, sigma: 40 } } }).blur(1.2);
  return {
    platformKey: PlatformKey.load(`${dir}/keys`),
    signer,
    trustAnchors: await keys.trustAnchors(),
    photo: await noise(640, 400).jpeg({ quality: 70 }).toBuffer(),
    scan: await noise(240, 160).png().toBuffer(),
  };
}

export function caseRecord(i = 1, overrides: Partial<CaseRecord> = {}): CaseRecord {
  const serial = String(i).padStart(6, '0');
  return {
    archiveId: `11110101MB1D20451M-XK·2026-30Y-${serial}`,
    caseNumber: `110101-20260302-${serial}`,
    matter: { code: '11100000MB1640886L012', name: '公共场所卫生许可' },
    action: '新办',
    department: { code: HEALTH.code, name: HEALTH.name },
    applicant: { name: '北京东直门餐饮管理有限公司', code: '91110000600037341L' },
    submittedAt: '2026-03-02T09:12:00+08:00',
    decidedAt: '2026-03-10T15:30:00+08:00',
    closedAt: '2026-03-10T15:31:00+08:00',
    outcome: 'approved',
    retention: '30年',
    category: '行政许可',
    year: 2026,
    creator: HEALTH.name,
    ...overrides,
  };
}

/** Audit rows of the case as the chained log holds them: hashes that recompute, links between consecutive rows. */
export function auditRows(caseNumber: string, firstSeq = 1041): AuditRow[] {
  const steps: Omit<ChainedFields, 'seq' | 'at'>[] = [
    {
      actor: 'applicant.91110000600037341L',
      action: 'application.submitted',
      entityType: 'application',
      entityId: caseNumber,
      data: { matter: 'HP' },
    },
    { actor: 'clerk.health', action: 'task.completed', entityType: 'task', entityId: `${caseNumber}/accept`, data: { decision: 'accept' } },
    {
      actor: 'chief.health',
      action: 'task.completed',
      entityType: 'task',
      entityId: `${caseNumber}/approve`,
      data: { decision: 'approve', comment: '同意' },
    },
    { actor: 'system', action: 'license.issued', entityType: 'license', entityId: caseNumber, data: { version: 1 } },
  ];
  let prevHash = GENESIS_HASH.replace(/^0{8}/, 'a1b2c3d4');
  return steps.map((step, i) => {
    const fields: ChainedFields = { ...step, seq: String(firstSeq + i), at: new Date(Date.UTC(2026, 2, 2 + i, 1, 0, 0)).toISOString() };
    const row = { ...fields, prevHash, hash: rowHash(prevHash, fields) };
    prevHash = row.hash;
    return row;
  });
}

/** Signed licence, decision and acceptance notice, now (the development certificates are made now); `signingTime` varies the bytes. */
export async function signedDocuments(kit: ArchiveKit, signingTime = new Date()): Promise<ClosedCase['documents']> {
  const facts = {
    caseNumber: '110101-20260302-000001',
    applicantName: '北京东直门餐饮管理有限公司',
    matterName: '公共场所卫生许可',
    submittedOn: '2026-03-02',
    department: HEALTH,
  };
  const sign = (pdf: Uint8Array, reason: string) => signPdf(pdf, kit.signer, { reason, location: '北京市东城区', signingTime });
  return [
    {
      kind: 'acceptance-notice',
      fileName: '受理通知书.pdf',
      bytes: await sign(
        await renderAcceptanceNotice({ ...facts, acceptedOn: '2026-03-02', timeLimitDays: 20 }, { createdAt: CREATED_AT }),
        '受理',
      ),
    },
    {
      kind: 'decision',
      fileName: '准予行政许可决定书.pdf',
      bytes: await sign(
        await renderDecision(
          { ...facts, outcome: 'approve', acceptedOn: '2026-03-02', decidedOn: '2026-03-10' },
          { createdAt: CREATED_AT },
        ),
        '作出行政许可决定',
      ),
    },
    {
      kind: 'licence',
      fileName: '公共场所卫生许可证.pdf',
      bytes: await sign(await renderLicense(hygienePermit(), { verifyUrl: verifyUrl('L-1'), createdAt: CREATED_AT }), '颁发电子证照'),
    },
  ];
}

export function closedCase(kit: ArchiveKit, documents: ClosedCase['documents'], i = 1): ClosedCase {
  const record = caseRecord(i);
  return {
    record,
    form: { applicantName: record.applicant.name, premises: { address: '北京市东城区东直门内大街123号', area: 180.5 }, seats: 60 },
    materials: [
      { code: 'HP-01', name: '营业执照', fileName: '营业执照.jpg', mediaType: 'image/jpeg', bytes: kit.photo },
      { code: 'HP-02', name: '卫生检测报告', fileName: 'report.png', mediaType: 'image/png', bytes: kit.scan },
    ],
    ocr: { 'HP-01': { documentType: 'business-licence', fields: { uscc: { value: record.applicant.code, confidence: 0.97 } } } },
    findings: [{ point: 'HP-R01', passed: true, basis: '《公共场所卫生管理条例》第四条' }],
    decisions: [
      { at: '2026-03-02T10:00:00+08:00', step: 'accept', by: 'clerk.health', decision: 'accept' },
      { at: '2026-03-10T15:30:00+08:00', step: 'approve', by: 'chief.health', decision: 'approve', comment: '同意' },
    ],
    documents,
    auditExtract: auditRows(record.caseNumber),
  };
}
