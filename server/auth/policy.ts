import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newEnforcer, newModelFromString, StringAdapter, type Adapter, type Enforcer } from 'casbin';
import { KnexAdapter } from 'casbin-knex-adapter';
import type { Knex } from 'knex';

export const MODEL_PATH = fileURLToPath(new URL('./model.conf', import.meta.url));
export const POLICY_PATH = fileURLToPath(new URL('./policy.csv', import.meta.url));

/** A grouping made in domain `*` holds in every department. */
export const domainMatches = (requested: string, granted: string): boolean => granted === '*' || granted === requested;

/** The route policies of policy.csv as `[role, domain, pathPattern, methodRegex]` rows, read by casbin's own parser. */
export async function readRoutePolicies(text = fs.readFileSync(POLICY_PATH, 'utf8')): Promise<string[][]> {
  const model = newModelFromString(fs.readFileSync(MODEL_PATH, 'utf8'));
  await new StringAdapter(text).loadPolicy(model);
  if (model.getPolicy('g', 'g').length) throw new Error(`${POLICY_PATH}: role assignments (g rows) belong in the database, not in the policy file`);
  const rows = model.getPolicy('p', 'p');
  for (const row of rows) {
    if (row.length !== 4) throw new Error(`${POLICY_PATH}: "${row.join(', ')}" must have role, domain, path and method`);
    try {
      new RegExp(row[3]);
    } catch {
      throw new Error(`${POLICY_PATH}: "${row[3]}" is not a regular expression`);
    }
  }
  return rows;
}

/** Replaces the `p` rows of casbin_rule with `rows` in one transaction; the `g` rows (who holds which role) stay. */
export async function syncRoutePolicies(knex: Knex, rows: string[][]): Promise<void> {
  await knex.transaction(async (trx) => {
    // Two servers starting together must not interleave their delete and insert.
    await trx.raw('lock table casbin_rule in share row exclusive mode');
    await trx('casbin_rule').where({ ptype: 'p' }).delete();
    if (rows.length) {
      await trx('casbin_rule').insert(rows.map(([v0, v1, v2, v3]) => ({ ptype: 'p', v0, v1, v2, v3 })));
    }
  });
}

/** casbin-knex-adapter on casbin_rule, less `savePolicy`, which drops and recreates the table: rules change one by one instead. */
export class RuleAdapter extends KnexAdapter {
  constructor(knex: Knex) {
    super(knex, { tableName: 'casbin_rule' });
  }

  override async savePolicy(): Promise<boolean> {
    throw new Error('savePolicy would drop casbin_rule; add or remove the rules themselves');
  }
}

/** An enforcer of model.conf with the domain matching, on `adapter` (or in memory, for tests of the policy alone). */
export async function createEnforcer(adapter?: Adapter): Promise<Enforcer> {
  const model = newModelFromString(fs.readFileSync(MODEL_PATH, 'utf8'));
  const enforcer = adapter ? await newEnforcer(model, adapter) : await newEnforcer(model);
  await enforcer.addNamedDomainMatchingFunc('g', domainMatches);
  return enforcer;
}
