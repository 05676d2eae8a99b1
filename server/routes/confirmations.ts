import { Router } from 'express';
import { confirm, pendingConfirmations } from '../applications/confirmations';
import type { ApplicationDeps } from '../applications/store';
import { unauthorized } from '../errors';

/** A second party's confirmations (shared/API.md `POST /confirmations/{token}`), and the list of those waiting for the caller. */
export function confirmationRoutes(deps: ApplicationDeps): Router {
  const router = Router();
  router.get('/confirmations', async (req, res) => {
    if (!req.principal) throw unauthorized();
    res.json(await pendingConfirmations(deps, req.principal));
  });
  router.post('/confirmations/:token', async (req, res) => {
    if (!req.principal) throw unauthorized();
    res.json(await confirm(deps, req.principal, req.params.token as string, req.body.accept));
  });
  return router;
}
