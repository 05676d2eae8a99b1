import { Router } from 'express';
import type { Principal } from '../auth/principal';
import { AppError, unauthorized } from '../errors';
import type { License } from '../registries';
import type { IssuingDeps } from '../issuing/issuing-deps';
import { verifyLicense, verifyReceivedDocument, type LicenseVerification } from '../issuing/verification';

const STAFF = ['clerk', 'approver', 'admin'];
const isStaff = (principal: Principal) => principal.roles.some((r) => STAFF.includes(r));
const codeOf = (principal: Principal) => principal.uscc ?? principal.idNumber;
const noSuchLicense = (id: string) => new AppError(404, 'NOT_FOUND', `没有这张证照：${id} (no such licence)`);

/**
 * The e-licence library (shared/API.md "Licences"): a holder's own licences and their signed PDFs, any holder's for
 * staff; the public verification of a licence (its QR code) and of a PDF someone received.
 */
export function licenseRoutes(deps: IssuingDeps): Router {
  const { registries } = deps;
  const router = Router();

  router.post('/licenses/verify', async (req, res) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const file = files.find((f) => f.fieldname === 'file');
    if (!file || files.length !== 1)
      throw new AppError(400, 'VALIDATION_FAILED', '请在 file 字段上传一个 PDF 文件', [
        { field: 'body.file', message: 'exactly one file in the field "file"' },
      ]);
    if (!file.buffer.subarray(0, 1024).toString('latin1').includes('%PDF-'))
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `"${file.originalname}"不是 PDF 文件`);
    res.json(await verifyReceivedDocument(deps, file.buffer));
  });

  router.get('/licenses/:id/verify', async (req, res) => {
    const verification = await verifyLicense(deps, req.params.id as string);
    if (!verification) throw noSuchLicense(req.params.id as string);
    if (req.accepts(['application/json', 'text/html']) === 'text/html') res.type('text/html').send(verificationPage(verification));
    else res.json(verification);
  });

  router.get('/licenses/:id/pdf', async (req, res) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    const license = await registries.licenses.find(req.params.id as string);
    if (!license || (license.holderCode !== codeOf(principal) && !isStaff(principal))) throw noSuchLicense(req.params.id as string);
    if (!license.documentSha256) throw new AppError(404, 'NOT_FOUND', '这张证照没有本平台签发的电子文件');
    res
      .type('application/pdf')
      .set('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`${license.typeName}-${license.number}.pdf`)}`)
      .send(await deps.storage.get(license.documentSha256));
  });

  router.get('/licenses', async (req, res) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    const asked = typeof req.query.holder === 'string' ? req.query.holder : undefined;
    const own = codeOf(principal);
    if (asked && asked !== own && !isStaff(principal)) throw new AppError(403, 'FORBIDDEN', '只能查询本人或本单位的证照');
    const holder = asked ?? own;
    if (!holder)
      throw new AppError(400, 'VALIDATION_FAILED', '请给出持证者代码 holder', [{ field: 'query.holder', message: 'required for staff' }]);
    res.json((await registries.licenses.byHolder(holder)).map(summary));
  });

  router.get('/licenses/:id', async (req, res) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    const license = await registries.licenses.find(req.params.id as string);
    // Someone else's licence is not confirmed to exist here (its public check is /verify).
    if (!license || (license.holderCode !== codeOf(principal) && !isStaff(principal))) throw noSuchLicense(req.params.id as string);
    res.json(license);
  });

  return router;
}

function summary(license: License) {
  return {
    id: license.id,
    identifier: license.identifier,
    typeCode: license.typeCode,
    typeName: license.typeName,
    number: license.number,
    holderName: license.holderName,
    issuerName: license.issuerName,
    issueDate: license.issueDate,
    validFrom: license.validFrom,
    validUntil: license.validUntil,
    version: license.version,
    status: license.status,
  };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_WORDS = { valid: '有效', superseded: '已被新版本取代', revoked: '已注销（吊销）', expired: '已过期' } as const;

/** The page a person sees after scanning the QR code on a licence. */
function verificationPage(v: LicenseVerification): string {
  const verdict = v.valid
    ? '该证照真实有效'
    : `该证照当前无效：${STATUS_WORDS[v.status]}${v.signature && !v.signature.valid ? '，电子签名校验未通过' : ''}`;
  const rows: [string, string][] = [
    ['证照类型', v.type],
    ['证照编号', v.number],
    ['持证者', v.holderName],
    ['发证机关', v.issuer],
    ['有效期至', v.validUntil ?? '长期'],
    ['状态', STATUS_WORDS[v.status]],
    [
      '电子签名',
      v.signature
        ? v.signature.valid
          ? `有效（${v.signature.signer ?? ''}）`
          : `无效：${v.signature.problems.join('；') || '文件与登记不符'}`
        : '无（非本平台签发的电子文件）',
    ],
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>电子证照核验</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}.ok{color:#1a7f37}.bad{color:#b42318}table{border-collapse:collapse;width:100%}td{padding:.4rem;border-bottom:1px solid #ddd}td:first-child{color:#666;width:7rem}</style></head>
<body><h1 class="${v.valid ? 'ok' : 'bad'}">${escape(verdict)}</h1><table>${rows.map(([k, val]) => `<tr><td>${escape(k)}</td><td>${escape(val)}</td></tr>`).join('')}</table></body></html>`;
}
