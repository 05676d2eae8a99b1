import { expect } from 'chai';
import * as uscc from '../../../server/identifiers/uscc';
import { PRINTABLE, substitutions, transpositions } from './mutations';

const EXAMPLES = ['91110000600037341L', '91350100M000100Y43'];
const withCheck = (body: string) => body + uscc.checkChar(body);

function reasonOf(value: string): string {
  const result = uscc.validate(value);
  expect(result.valid, value).to.equal(false);
  return result.valid ? '' : result.reason;
}

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the examples of DOMAIN.md', () => {
    for (const code of EXAMPLES) expect(uscc.validate(code), code).to.deep.equal({ valid: true });
  });

  it('computes check characters as charset[(31 − Σ mod 31) mod 31]', () => {
    expect(uscc.checkChar('91110000600037341')).to.equal('L');
    expect(uscc.checkChar('91350100M000100Y4')).to.equal('3');
    expect(uscc.checkChar('91350100M000100Y')).to.equal(undefined);
    expect(uscc.checkChar('91350100M000100O4')).to.equal(undefined);
  });

  it('uses weights 3^i mod 31 over a charset of 31 characters without I, O, Z, S, V', () => {
    expect(uscc.WEIGHTS).to.deep.equal(Array.from({ length: 17 }, (_, i) => 3 ** i % 31));
    expect(uscc.CHARSET).to.have.length(31);
    for (const c of 'IOZSV') expect(uscc.CHARSET).not.to.contain(c);
  });

  it('rejects every single-character substitution of a valid code, at every position', () => {
    for (const code of EXAMPLES) {
      const variants = substitutions(code, PRINTABLE);
      expect(variants.length).to.be.greaterThan(18 * 60);
      for (const { variant } of variants) expect(uscc.validate(variant).valid, variant).to.equal(false);
    }
  });

  it('rejects every swap of neighbouring characters and of characters one apart', () => {
    for (const code of EXAMPLES) {
      for (const distance of [1, 2]) {
        for (const { variant } of transpositions(code, distance)) expect(uscc.validate(variant).valid, variant).to.equal(false);
      }
    }
  });

  it('rejects wrong lengths', () => {
    for (let length = 1; length <= 30; length++) {
      if (length === 18) continue;
      const value = length < 18 ? EXAMPLES[0].slice(0, length) : EXAMPLES[0] + '1'.repeat(length - 18);
      expect(reasonOf(value)).to.equal(`统一社会信用代码应为18位，现为${length}位`);
    }
    expect(reasonOf('')).to.equal('请填写统一社会信用代码');
  });

  it('accepts every registration authority with each entity type it registers, and nothing else', () => {
    let accepted = 0;
    for (const authority of uscc.CHARSET) {
      for (const type of uscc.CHARSET) {
        const code = withCheck(`${authority}${type}350100M000100Y4`);
        const known = uscc.AUTHORITIES[authority]?.types[type] !== undefined;
        expect(uscc.validate(code).valid, code).to.equal(known);
        if (known) accepted++;
      }
    }
    expect(accepted).to.equal(36);
  });

  it('names the registration authority or entity type that is wrong', () => {
    expect(reasonOf(withCheck('B1110000600037341'))).to.equal('统一社会信用代码第1位“B”不是登记管理部门代码');
    expect(reasonOf(withCheck('94110000600037341'))).to.equal('统一社会信用代码第2位“4”不是工商部门登记的机构类别代码');
    expect(reasonOf(withCheck('Y2110000600037341'))).to.equal('统一社会信用代码第2位“2”不是其他部门登记的机构类别代码');
  });

  it('checks the region of the registering office: a province, or 100000 for national bodies', () => {
    expect(uscc.validate(withCheck('11100000000013338'))).to.deep.equal({ valid: true });
    expect(reasonOf(withCheck('91990000600037341'))).to.contain('“99”不是省级行政区划代码');
    expect(reasonOf(withCheck('91A10000600037341'))).to.equal('统一社会信用代码第3至8位行政区划码应为6位数字');
  });

  it('names a forbidden character and a wrong check character in plain Chinese', () => {
    expect(reasonOf('91110000600O37341L')).to.contain('第12位“O”不是可用字符');
    expect(reasonOf('91110000600037341l')).to.contain('第18位“l”');
    expect(reasonOf('91110000600037341K')).to.equal('统一社会信用代码校验码不符，请逐位核对是否输错');
  });

  it('computes GB 11714 organisation-code check characters, as the examples carry them', () => {
    expect(uscc.organizationCheckChar('60003734')).to.equal('1');
    expect(uscc.organizationCheckChar('M000100Y')).to.equal('4');
    expect(uscc.organizationCheckChar('00001333')).to.equal('8');
    expect(uscc.organizationCheckChar('6000373')).to.equal(undefined);
  });

  describe('repair of OCR readings', () => {
    it('maps O→0, I and l→1, Z→2, S→5 and lower case to upper case', () => {
      expect(uscc.repair('9lllOOOO6OOO3734lL')).to.equal('91110000600037341L');
      expect(uscc.repair('9135O1OOmOOO1OOy43')).to.equal('91350100M000100Y43');
      expect(uscc.repair('9135 0100 M000 100Y 43')).to.equal('91350100M000100Y43');
      const code = withCheck('91320102MA1W5K2X7');
      expect(uscc.repair(code.replace('320102', '3ZO1OZ').replace('5', 'S'))).to.equal(code);
    });

    it('decides between B and 8 by the check character', () => {
      const code = withCheck('91350100MA8B8B8B8');
      const reading = code.slice(0, 10).replace(/8/g, 'B') + code.slice(10);
      expect(uscc.repair(reading)).to.equal(code);
    });

    it('returns nothing when two readings are valid', () => {
      // Positions whose weights add up (w_i + w_j ≡ w_k mod 31): B,B,8 and 8,8,B there give the same check character.
      const positions = findWeightTriple();
      const body = [...'91350100MA0000000'];
      for (const [p, c] of [...positions].map((p, i) => [p, i < 2 ? '8' : 'B'] as const)) body[p] = c;
      const first = withCheck(body.join(''));
      const second = [...first];
      for (const [p, c] of [...positions].map((p, i) => [p, i < 2 ? 'B' : '8'] as const)) second[p] = c;
      expect(uscc.validate(second.join('')).valid).to.equal(true);
      const reading = [...first];
      for (const p of positions) reading[p] = 'B';
      expect(uscc.repair(reading.join(''))).to.equal(undefined);
    });

    it('returns nothing for a wrong character OCR would not produce', () => {
      expect(uscc.repair('91110000600037342L')).to.equal(undefined);
      expect(uscc.repair('9111000060003734')).to.equal(undefined);
    });
  });
});

/** Three positions among 11 to 17 (the free part of the organisation code) with w_i + w_j ≡ w_k (mod 31). */
function findWeightTriple(): [number, number, number] {
  for (let i = 10; i < 17; i++) {
    for (let j = i + 1; j < 17; j++) {
      for (let k = 10; k < 17; k++) {
        if (k !== i && k !== j && (uscc.WEIGHTS[i] + uscc.WEIGHTS[j]) % 31 === uscc.WEIGHTS[k]) return [i, j, k];
      }
    }
  }
  throw new Error('no such positions');
}
