import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Platform } from './platform';
import { errorHandler, unknownRoute } from './http/error-handler';
import { applicationRoutes } from './routes/applications';
import { archiveRoutes } from './routes/archives';
import { auditRoutes } from './routes/audit';
import { confirmationRoutes } from './routes/confirmations';
import { authRoutes } from './routes/auth';
import { deploymentRoutes } from './routes/deployments';
import { healthRoutes } from './routes/health';
import { licenseRoutes } from './routes/licenses';
import { matterRoutes } from './routes/matters';
import { metricsRoutes } from './routes/metrics';
import { processInstanceRoutes } from './routes/process-instances';
import { staticApps } from './routes/static-apps';
import { taskRoutes } from './routes/tasks';
import { CaseTimeLimits } from './worklist/time-limits';
import { Worklist } from './worklist/tasks';

export const OPENAPI_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'openapi.yaml');

/** The express app, not listening: `start()` listens. */
export function createApp(platform: Platform): express.Express {
  const { config, metrics, auth, log } = platform;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', process.env.TRUST_PROXY ?? 'loopback');
  app.use(metrics.middleware());
  app.use(healthRoutes(platform));
  app.use(staticApps());

  const spec = fs.readFileSync(OPENAPI_PATH, 'utf8');
  app.get('/api/docs', (_req, res) => {
    res.type('application/yaml').send(spec);
  });

  app.use('/api', express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(
    '/api',
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
      validateResponses: false,
      validateSecurity: { handlers: { bearerAuth: auth.securityHandler } },
      fileUploader: { limits: { fileSize: config.uploadLimitBytes, files: 20 }, defParamCharset: 'utf8' },
      ignoreUndocumented: false,
    }),
  );

  app.use('/api/v1', authRoutes(platform));
  app.use('/api/v1', deploymentRoutes(platform));
  app.use('/api/v1', auditRoutes(platform));
  app.use('/api/v1', archiveRoutes(platform));
  app.use('/api/v1', metricsRoutes(platform));
  app.use('/api/v1', processInstanceRoutes(platform));
  app.use('/api/v1', matterRoutes(platform));
  const applications = { ...platform, knex: platform.db.knex };
  app.use('/api/v1', applicationRoutes(applications));
  app.use('/api/v1', confirmationRoutes(applications));
  const worklist = new Worklist(applications);
  const timeLimits = new CaseTimeLimits({ ...applications, worklist });
  app.use('/api/v1', taskRoutes({ worklist, timeLimits, knex: platform.db.knex, matters: platform.matters }));
  app.use('/api/v1', licenseRoutes({ ...platform, knex: platform.db.knex, publicUrl: config.publicUrl }));

  app.use(unknownRoute);
  app.use(errorHandler((message, error) => log.error(message, { error })));
  return app;
}
