import { Router } from 'express';
import type { Platform } from '../platform';
export function authRoutes(_platform: Platform): Router {
  return Router();
}
