import { Router, type Request } from 'express';
import type { Principal } from '../auth/principal';
import { AppError, unauthorized } from '../errors';
import { searchCases } from '../worklist/cases';
import { colleaguesOf } from '../worklist/colleagues';
import type { Worklist, TaskFilter } from '../worklist/tasks';
import type { CaseTimeLimits } from '../worklist/time-limits';
import type { MatterCatalog } from '../matters/catalog';
import type { Knex } from 'knex';

const principalOf = (req: Request): Principal => {
  if (!req.principal) throw unauthorized();
  return req.principal;
};

/** The clerk's worklist (shared/API.md "Worklist") and the department's case search. */
export function taskRoutes(deps: { worklist: Worklist; timeLimits: CaseTimeLimits; knex: Knex; matters: MatterCatalog }): Router {
  const { worklist, timeLimits } = deps;
  const router = Router();
  router.get('/tasks', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const filter: TaskFilter = {
      state: q.state as TaskFilter['state'],
      assignee: q.assignee === 'me' ? 'me' : undefined,
      matter: q.matter,
      application: q.application,
      overdue: q.overdue === 'true',
      minPriority: q.minPriority === undefined ? undefined : Number(q.minPriority),
      sort: q.sort as TaskFilter['sort'],
      limit: q.limit,
      after: q.after,
    };
    const page = await worklist.list(principalOf(req), filter);
    res.set('X-Total-Count', String(page.total));
    if (page.nextCursor) res.set('X-Next-Cursor', page.nextCursor);
    res.json(page.tasks);
  });
  router.get('/tasks/:id', async (req, res) => {
    res.json(await worklist.get(principalOf(req), req.params.id as string));
  });
  router.post('/tasks/:id/claim', async (req, res) => {
    res.json(await worklist.claim(principalOf(req), req.params.id as string));
  });
  router.post('/tasks/:id/unclaim', async (req, res) => {
    res.json(await worklist.unclaim(principalOf(req), req.params.id as string));
  });
  router.post('/tasks/:id/complete', async (req, res) => {
    res.json(await worklist.complete(principalOf(req), req.params.id as string, req.body ?? {}));
  });
  router.post('/tasks/:id/transfer', async (req, res) => {
    res.json(await worklist.transfer(principalOf(req), req.params.id as string, req.body ?? {}));
  });
  router.post('/tasks/:id/suspension', async (req, res) => {
    res.status(202).json(await timeLimits.suspend(principalOf(req), req.params.id as string, req.body ?? {}));
  });
  router.post('/tasks/:id/extension', async (req, res) => {
    res.status(202).json(await timeLimits.requestExtension(principalOf(req), req.params.id as string, req.body ?? {}));
  });
  router.post('/cases/:id/resumption', async (req, res) => {
    res.status(202).json(await timeLimits.resume(principalOf(req), req.params.id as string, req.body ?? {}));
  });
  router.get('/colleagues', async (req, res) => {
    res.json(await colleaguesOf(deps.knex, principalOf(req)));
  });
  router.get('/cases', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const suspended = q.suspended === 'true';
    if (q.q === undefined && !suspended)
      throw new AppError(400, 'VALIDATION_FAILED', '请输入查询条件（受理编号、申请人名称或证件号码）', [
        { field: 'query.q', message: 'required unless suspended=true' },
      ]);
    const found = await searchCases(deps.knex, deps.matters, principalOf(req), { q: q.q, suspended });
    if (found.truncated) res.set('X-Truncated', 'true');
    res.json(found.cases);
  });
  return router;
}
