import { Router } from 'express';
import { unauthorized } from '../errors';
import type { Platform } from '../platform';

export function authRoutes(platform: Platform): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const { username, password } = req.body as { username: string; password: string };
    res.json(await platform.auth.login(username, password, req.ip ?? ''));
  });
  router.get('/auth/me', (req, res) => {
    if (!req.principal) throw unauthorized();
    res.json(req.principal);
  });
  return router;
}
