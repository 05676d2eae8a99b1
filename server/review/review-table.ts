import type { Knex } from 'knex';
import { DecisionSet } from '../engine/dmn/decisions';

export interface ReviewTable {
  decisionId: string;
  version: number;
  set: DecisionSet;
}

/**
 * The latest deployed version of a matter's review table (`<matter-slug>-review`, JOBS.md), read from the
 * deployments and parsed once per version, so the review worker evaluates the same table on either engine and a
 * designer's new version applies to the next review without a restart.
 */
export class ReviewTables {
  private readonly parsed = new Map<string, Promise<DecisionSet>>();

  constructor(private readonly knex: Knex) {}

  async latest(matterSlug: string): Promise<ReviewTable | undefined> {
    const decisionId = `${matterSlug}-review`;
    const row = await this.knex('resources')
      .where({ kind: 'dmn', resource_id: decisionId })
      .orderBy('version', 'desc')
      .first('key', 'version', 'content');
    if (!row) return undefined;
    const key = String(row.key);
    if (!this.parsed.has(key)) {
      const parsing = DecisionSet.parse(row.content);
      parsing.catch(() => this.parsed.delete(key));
      this.parsed.set(key, parsing);
    }
    return { decisionId, version: Number(row.version), set: await this.parsed.get(key)! };
  }
}
