import { Router, type Request } from 'express';
import type { EnginePort, InstanceView } from '../engine/port';
import { notFound } from '../errors';
import { actorOf } from '../http/actor';
import type { Platform } from '../platform';

const isAdmin = (req: Request) => Boolean(req.principal?.roles.includes('admin'));

/** The instance as the caller may see it: an admin any, a designer only a sandbox (try-it) one; a real one is "not found". */
async function visibleInstance(engine: EnginePort, req: Request): Promise<InstanceView> {
  const instance = await engine.getInstance(String(req.params.key));
  if (!instance || (!instance.sandbox && !isAdmin(req))) throw notFound('process instance');
  return instance;
}

/** Design routes that run things: instances, messages, incidents (shared/API.md "Design"). */
export function processInstanceRoutes({ engine }: Platform): Router {
  const router = Router();

  router.post('/process-instances', async (req, res) => {
    const { bpmnProcessId, version, variables } = req.body;
    // Instances started by hand from the API are a designer's "try it": sandbox (JOBS.md), unless an admin says otherwise.
    const sandbox = isAdmin(req) ? Boolean(req.body.sandbox ?? false) : true;
    const started = await engine.startInstance({ bpmnProcessId, version, variables, sandbox, actor: actorOf(req) });
    res.status(201).json(started);
  });

  router.get('/process-instances/:key', async (req, res) => {
    res.json(await visibleInstance(engine, req));
  });

  router.post('/process-instances/:key/cancellation', async (req, res) => {
    if (!isAdmin(req)) await visibleInstance(engine, req);
    await engine.cancelInstance(req.params.key, actorOf(req));
    res.status(204).end();
  });

  router.post('/messages', async (req, res) => {
    const { name, correlationKey, variables, timeToLive, messageId } = req.body;
    const sandbox = !isAdmin(req);
    const published = await engine.publishMessage({ name, correlationKey, variables, timeToLiveMs: timeToLive, messageId, sandbox });
    res.status(201).json(published);
  });

  router.get('/incidents', async (_req, res) => {
    res.json(await engine.listIncidents());
  });

  router.post('/incidents/:key/resolution', async (req, res) => {
    await engine.resolveIncident(req.params.key, actorOf(req));
    res.status(204).end();
  });

  return router;
}
