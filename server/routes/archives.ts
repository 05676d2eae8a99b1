import { Router } from 'express';
import { verifyArchives } from '../archiving/verify-archives';
import type { Platform } from '../platform';

/** The archives' four-property check (admin): all packages, or one application's. */
export function archiveRoutes(platform: Platform): Router {
  const router = Router();
  router.post('/archives/verify', async (req, res) => {
    const applicationId: string | undefined = req.body?.applicationId;
    res.json(await verifyArchives({ ...platform, knex: platform.db.knex }, applicationId));
  });
  return router;
}
