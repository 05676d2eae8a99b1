import { Router, type Request, type Response } from 'express';
import type { DeployedResource, ResourceKind } from '../deployments/deployments';
import { badRequest, notFound } from '../errors';
import { actorOf } from '../http/actor';
import type { Platform } from '../platform';

const RESOURCES_FIELD = 'resources';

function summary(resource: DeployedResource) {
  return {
    id: resource.id,
    kind: resource.kind,
    version: resource.version,
    name: resource.name,
    fileName: resource.fileName,
    ...(resource.unchanged ? { unchanged: true } : {}),
  };
}

export function deploymentRoutes(platform: Platform): Router {
  const { deployments } = platform;
  const router = Router();

  router.post('/deployments', async (req, res) => {
    const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
    const misplaced = uploaded.find((file) => file.fieldname !== RESOURCES_FIELD);
    if (misplaced) throw badRequest(`Send the files in the field "${RESOURCES_FIELD}", not "${misplaced.fieldname}"`);
    const files = uploaded.map((file) => ({ name: file.originalname, content: file.buffer }));
    const result = await deployments.deploy(files, actorOf(req), { source: 'api' });
    res.status(201).json({
      key: result.key,
      resources: result.resources.map(summary),
      ...(result.warnings.length ? { warnings: result.warnings } : {}),
    });
  });

  const listOf = (kind: ResourceKind) => async (_req: Request, res: Response) => {
    res.json(await deployments.list(kind));
  };
  router.get('/processes', listOf('bpmn'));
  router.get('/decisions', listOf('dmn'));
  router.get('/forms', listOf('form'));

  // The content exactly as deployed, so an editor opens what runs: the latest version unless one is asked for.
  const contentOf = (kind: ResourceKind, label: string, type: string) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const version = req.query.version === undefined ? undefined : Number(req.query.version);
    const resource = version === undefined ? await deployments.latest(kind, id) : await deployments.get(kind, id, version);
    if (!resource) throw notFound(version === undefined ? `${label} ${id}` : `${label} ${id} version ${version}`);
    res.type(type).send(resource.content);
  };
  router.get('/processes/:id/xml', contentOf('bpmn', 'process', 'application/xml'));
  router.get('/decisions/:id/xml', contentOf('dmn', 'decision', 'application/xml'));
  router.get('/forms/:id/json', contentOf('form', 'form', 'application/json'));

  return router;
}
