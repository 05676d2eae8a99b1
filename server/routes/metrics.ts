import { Router } from 'express';
import { matterFigures } from '../figures/matter-figures';
import type { Platform } from '../platform';

/** The figures for management (admin): per matter and period. */
export function metricsRoutes(platform: Platform): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    // The automatic decisions are counted from the audit log: what waits to be chained counts too.
    await platform.audit.flush();
    res.json(await matterFigures(platform.db.knex, platform.matters, { from: q.from, to: q.to }, platform.clock.now()));
  });
  return router;
}
