import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import { precompressed } from './precompressed';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A browser app of the Vite build (modeler/dist): its path on the server and its page in the build. */
export interface StaticApp {
  mount: string;
  page: string;
  title: string;
}

export const STATIC_APPS: readonly StaticApp[] = [
  { mount: '/modeler', page: 'index.html', title: '流程设计器 (modeler)' },
  { mount: '/worklist', page: 'worklist.html', title: '窗口工作台 (worklist)' },
  { mount: '/dashboard', page: 'dashboard.html', title: '运行看板 (dashboard)' },
];

export interface StaticAppsOptions {
  /** The Vite build output; `modeler/dist` of the repository by default. */
  distDir?: string;
  /** The element templates of our job types; `workers/templates` by default. */
  templatesDir?: string;
  apps?: readonly StaticApp[];
}

/**
 * The browser apps built by Vite, each at its own path (mounted before the API), and the element templates at
 * `/element-templates.json` (all of them, as Camunda Desktop Modeler loads a file) and `/element-templates/<type>.json`.
 * A missing build answers 503 saying how to build it, checked per request so a build made while running is served.
 */
export function staticApps(options: StaticAppsOptions = {}): Router {
  const distDir = options.distDir ?? path.join(ROOT, 'modeler', 'dist');
  const templatesDir = options.templatesDir ?? path.join(ROOT, 'workers', 'templates');
  const router = Router();

  router.get('/element-templates.json', (_req, res) => {
    res.set('cache-control', 'no-cache').json(readTemplates(templatesDir));
  });
  router.use('/element-templates', express.static(templatesDir, { index: false, extensions: ['json'], setHeaders: noCache }));

  for (const app of options.apps ?? STATIC_APPS) {
    const pagePath = path.join(distDir, app.page);
    router.use(app.mount, (req, res, next) => {
      if (!fs.existsSync(pagePath)) return notBuilt(res, app);
      // The page loads its assets relative to itself: `/modeler` must become `/modeler/`.
      if (req.originalUrl === app.mount || req.originalUrl.startsWith(`${app.mount}?`)) {
        return res.redirect(301, app.mount + '/' + req.originalUrl.slice(app.mount.length));
      }
      next();
    });
    router.use(app.mount, precompressed(distDir, app.page));
    router.use(app.mount, express.static(distDir, { index: app.page, setHeaders: cacheByName }));
  }
  return router;
}

function readTemplates(dir: string): unknown[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

function notBuilt(res: Response, app: StaticApp): void {
  const message =
    `${app.title} is not built: run "npm run build:modeler" (npm start and the browser tests build it when needed). ` +
    '浏览器应用尚未构建：请运行 npm run build:modeler。';
  res
    .status(503)
    .set('retry-after', '60')
    .format({
      'application/json': () => res.json({ error: { code: 'APP_NOT_BUILT', message } }),
      default: () => res.type('text/plain; charset=utf-8').send(message),
    });
}

// Vite names built assets by content hash: they never change, the pages that name them do.
function cacheByName(res: Response, filePath: string): void {
  if (filePath.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  else res.setHeader('cache-control', 'no-cache');
}

function noCache(res: Response): void {
  res.setHeader('cache-control', 'no-cache');
}
