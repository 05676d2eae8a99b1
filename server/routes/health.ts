import { Router } from 'express';
import type { Platform } from '../platform';

/** Liveness with a database round trip, and the Prometheus figures. */
export function healthRoutes(platform: Platform): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await platform.db.knex.raw('select 1');
      res.json({ status: 'ok', database: platform.db.kind });
    } catch {
      res.status(503).json({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The database does not answer' } });
    }
  });
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await platform.metrics.text();
    res.type(contentType).send(body);
  });
  return router;
}
