import { Router } from 'express';
import { conflict } from '../errors';
import type { Platform } from '../platform';

/** Operations on the audit log (admin): recompute the chain, sign its head. */
export function auditRoutes(platform: Platform): Router {
  const router = Router();
  router.get('/audit/verify', async (_req, res) => {
    res.json(await platform.audit.verify());
  });
  router.post('/audit/anchors', async (_req, res) => {
    const anchor = await platform.audit.anchor();
    if (!anchor) throw conflict('The audit log is empty: there is no head to sign yet');
    res.status(201).json(anchor);
  });
  return router;
}
