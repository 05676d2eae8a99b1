import { Router } from 'express';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Caller } from '../matters/eligibility';
import { guide } from '../matters/guidance';
import { summarize, type MatterCatalog } from '../matters/catalog';
import type { EligibilitySources, ExemptionSources } from '../matters/sources';

/** What the catalog routes take from the platform. */
export interface MatterRouteDeps {
  matters: MatterCatalog;
  exemptions: ExemptionSources;
  eligibility: EligibilitySources;
  clock: Clock;
}

const noSuchMatter = (slug: string) => new AppError(404, 'NOT_FOUND', `没有这个事项："${slug}" (no such matter)`);

/** Catalog and guidance (shared/API.md), public; guidance also checks the signed-in caller. */
export function matterRoutes({ matters, exemptions, eligibility, clock }: MatterRouteDeps): Router {
  const router = Router();

  router.get('/matters', (_req, res) => {
    res.json(matters.list().map(summarize));
  });

  router.get('/matters/:slug', (req, res) => {
    const matter = matters.get(req.params.slug);
    if (!matter) throw noSuchMatter(req.params.slug);
    res.json(matter);
  });

  router.post('/matters/:slug/guidance', async (req, res) => {
    const matter = matters.get(req.params.slug);
    if (!matter) throw noSuchMatter(req.params.slug);
    const principal = req.principal;
    const caller: Caller | undefined = principal ? { kind: principal.kind, code: principal.uscc ?? principal.idNumber } : undefined;
    const { action, answers, licenseId } = req.body;
    res.json(
      await guide(
        matter,
        { action, answers, licenseId },
        { caller, calendar: matters.calendar, now: clock.now(), exemptions, eligibility },
      ),
    );
  });

  return router;
}
