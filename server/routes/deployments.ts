import { Router } from 'express';
import type { Platform } from '../platform';
export function deploymentRoutes(_platform: Platform): Router {
  return Router();
}
