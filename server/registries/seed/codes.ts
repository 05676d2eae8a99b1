import * as residentId from '../../identifiers/resident-id';
import * as uscc from '../../identifiers/uscc';
import type { Day } from './dates';
import type { Random } from './prng';

/** Check digits come from the identifier modules, so whatever they accept the seed writes, and nothing else. */
export function makeIdNumber(random: Random, regionCode: string, birthDate: Day, sex: '男' | '女', taken: Set<string>): string {
  for (;;) {
    const sequence = random.int(1, 499) * 2 + (sex === '男' ? 1 : 0);
    const body = regionCode + birthDate.replace(/-/g, '') + String(sequence).padStart(3, '0');
    const id = body + residentId.checkChar(body);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** Organisation codes given since the 2015 reform begin with MA (enterprises) or MB (public bodies); older ones are digits. */
function organizationCode(random: Random, style: 'MA' | 'MB' | 'digits'): string {
  const body = style === 'digits' ? random.pick(['5', '6', '7']) + random.chars(7, '0123456789') : style + random.chars(6, uscc.CHARSET);
  return body + uscc.organizationCheckChar(body);
}

export function makeUscc(random: Random, kind: '91' | '11', regionCode: string, style: 'MA' | 'MB' | 'digits', taken: Set<string>): string {
  for (;;) {
    const body = kind + regionCode + organizationCode(random, style);
    const code = body + uscc.checkChar(body);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}
