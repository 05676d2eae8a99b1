import { expect } from 'chai';
import { ALPHANUMERIC, DIGITS, hybridCheckCharacter, hybridIsValid } from '../../../server/identifiers/iso7064';
import { Random } from '../../../server/registries/seed/prng';

describe('ISO 7064 hybrid system MOD (M+1, M)', () => {
  it('as MOD 11,10 gives the check digits of published Croatian OIB numbers', () => {
    for (const oib of ['12345678903', '69435151530', '94577403194']) {
      expect(hybridCheckCharacter(oib.slice(0, -1), DIGITS), oib).to.equal(oib.slice(-1));
      expect(hybridIsValid(oib, DIGITS)).to.equal(true);
    }
  });

  it('as MOD 37,36 gives the check characters of e-licence identifiers published by provincial systems', () => {
    expect(hybridCheckCharacter('11100000000013338W011' + '11430000006122244L' + '20230000403' + '001')).to.equal('U');
    expect(hybridCheckCharacter('11100000000013338W009' + '11330105002500287C' + '2025052201' + '002')).to.equal('0');
  });

  it('makes every body valid with its check character, and catches every single substitution', () => {
    const random = new Random('iso7064');
    for (let n = 0; n < 200; n++) {
      const body = random.chars(random.int(1, 60), ALPHANUMERIC);
      const full = body + hybridCheckCharacter(body);
      expect(hybridIsValid(full), full).to.equal(true);
      const position = random.int(0, full.length - 1);
      for (const c of ALPHANUMERIC) {
        if (c === full[position]) continue;
        expect(hybridIsValid(full.slice(0, position) + c + full.slice(position + 1))).to.equal(false);
      }
    }
  });

  it('has no check character for a body with a character outside the alphabet', () => {
    expect(hybridCheckCharacter('12a4')).to.equal(undefined);
    expect(hybridCheckCharacter('12.4')).to.equal(undefined);
    expect(hybridIsValid('1')).to.equal(false);
  });
});
