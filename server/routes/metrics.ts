import { Router } from 'express';
import { matterFigures } from '../figures/matter-figures';
import type { Platform } from '../platform';

/** The figures for management (admin): per matter and period. */
export function metricsRoutes(platform: Platform): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    res.json(await matterFigures(platform.db.knex, platform.matters, { from: q.from, to: q.to }, platform.clock.now()));
  });
  return router;
}
