import type { Knex } from 'knex';
import { shanghaiDate } from '../calendar/local-date';
import type { Matter } from '../matters/schema';

/**
 * The case number (办件编号) a submitted application gets: the matter's 12-digit basic code, the day of submission
 * (Beijing time) and a serial of at least six digits from a database sequence, so two servers never hand out the same one.
 */
export async function nextCaseNumber(trx: Knex | Knex.Transaction, matter: Matter, at: Date): Promise<string> {
  const result = await trx.raw(`select nextval('case_number_seq') as n`);
  const serial = Number((result.rows ?? result)[0].n);
  return `${matter.codes.basic}${shanghaiDate(at).replace(/-/g, '')}${String(serial).padStart(6, '0')}`;
}
