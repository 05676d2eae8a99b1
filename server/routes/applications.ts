import { Router, type Request } from 'express';
import { addMaterial } from '../applications/materials';
import { createDraft, editDraft } from '../applications/drafts';
import { createCounterDraft } from '../applications/counter';
import { submitCorrections } from '../applications/corrections';
import { resume, resumeCodeImage } from '../applications/resume';
import type { ApplicationDeps } from '../applications/store';
import { submit } from '../applications/submission';
import { listOwnApplications, readApplication } from '../applications/view';
import { withdraw } from '../applications/withdrawal';
import { loadApplication } from '../applications/store';
import { reviewApplication } from '../review/review';
import type { Principal } from '../auth/principal';
import { AppError, unauthorized } from '../errors';

const principalOf = (req: Request): Principal => {
  if (!req.principal) throw unauthorized();
  return req.principal;
};

/** Applications (shared/API.md): the applicant's drafts, materials, submission, withdrawal, corrections; the one code. */
export function applicationRoutes(deps: ApplicationDeps): Router {
  const router = Router();

  router.post('/applications', async (req, res) => {
    const row = await createDraft(deps, principalOf(req), req.body);
    res.status(201).json(await readApplication(deps.knex, deps.matters, principalOf(req), row.id));
  });

  router.get('/applications', async (req, res) => {
    res.json(await listOwnApplications(deps.knex, deps.matters, principalOf(req), req.query.status as string | undefined));
  });

  router.get('/applications/:id', async (req, res) => {
    res.json(await readApplication(deps.knex, deps.matters, principalOf(req), req.params.id as string));
  });

  router.patch('/applications/:id', async (req, res) => {
    const row = await editDraft(deps, principalOf(req), req.params.id as string, req.body.form);
    res.json(await readApplication(deps.knex, deps.matters, principalOf(req), row.id));
  });

  router.post('/applications/:id/materials', async (req, res) => {
    const files = (req.files as Express.Multer.File[] | undefined) ?? [];
    const file = files.find((f) => f.fieldname === 'file');
    if (!file || files.length !== 1) {
      throw new AppError(400, 'VALIDATION_FAILED', '请在 file 字段上传一个文件', [
        { field: 'body.file', message: 'exactly one file in the field "file"' },
      ]);
    }
    const { material, ocr, appliedToForm } = await addMaterial(deps, principalOf(req), req.params.id as string, {
      materialCode: req.body.materialCode,
      fileName: file.originalname,
      bytes: file.buffer,
    });
    res.status(201).json({
      id: material.id,
      materialCode: material.material_code,
      sha256: material.sha256,
      size: Number(material.size),
      mediaType: material.media_type,
      ocr: !ocr ? null : ocr.status === 'pending' ? { pending: true } : { status: ocr.status, ...ocr.reading },
      appliedToForm,
    });
  });

  router.post('/applications/:id/submit', async (req, res) => {
    res.status(202).json(await submit(deps, principalOf(req), req.params.id as string, req.get('idempotency-key')));
  });

  router.post('/applications/:id/precheck', async (req, res) => {
    // The same review the process runs after submission, on the draft as it stands: nothing is stored.
    const row = await loadApplication(deps.knex, principalOf(req), req.params.id as string, { ownerOnly: true });
    res.json(await reviewApplication(deps, row, deps.clock.now()));
  });

  router.post('/applications/:id/withdraw', async (req, res) => {
    res.json(await withdraw(deps, principalOf(req), req.params.id as string));
  });

  router.post('/applications/:id/corrections', async (req, res) => {
    res.status(202).json(await submitCorrections(deps, principalOf(req), req.params.id as string, req.body));
  });

  router.get('/applications/:id/qr.png', async (req, res) => {
    res
      .type('image/png')
      .set('cache-control', 'private, max-age=3600')
      .send(await resumeCodeImage(deps, principalOf(req), req.params.id as string));
  });

  router.get('/applications/:id/materials/:materialId/file', async (req, res) => {
    const row = await loadApplication(deps.knex, principalOf(req), req.params.id as string);
    const material = await deps.knex('application_materials').where({ id: req.params.materialId, application_id: row.id }).first();
    if (!material) throw new AppError(404, 'NOT_FOUND', '没有这份材料');
    res
      .type(material.media_type)
      .set('cache-control', 'private, max-age=3600')
      .set('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(material.file_name)}`)
      .send(await deps.storage.get(material.sha256));
  });

  router.post('/counter/applications', async (req, res) => {
    const row = await createCounterDraft(deps, principalOf(req), req.body);
    res.status(201).json(await readApplication(deps.knex, deps.matters, principalOf(req), row.id));
  });

  router.get('/resume/:code', async (req, res) => {
    res.json(await resume(deps, principalOf(req), req.params.code as string));
  });

  return router;
}
