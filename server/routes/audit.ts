import { Router } from 'express';
import type { Platform } from '../platform';
export function auditRoutes(_platform: Platform): Router {
  return Router();
}
