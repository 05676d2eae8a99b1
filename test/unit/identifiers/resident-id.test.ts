import { expect } from 'chai';
import * as residentId from '../../../server/identifiers/resident-id';
import { PRINTABLE, substitutions, transpositions } from './mutations';

const EXAMPLES = ['11010519491231002X', '360426199101010071'];
const TODAY = new Date('2026-11-22T00:00:00Z');
const validate = (value: string) => residentId.validate(value, { today: TODAY });
/** A number with the right check character for whatever its first 17 digits say. */
const withCheck = (body: string) => body + residentId.checkChar(body);

function reasonOf(value: string): string {
  const result = validate(value);
  expect(result.valid, value).to.equal(false);
  return result.valid ? '' : result.reason;
}

describe('resident ID number (GB 11643-1999)', () => {
  it('accepts the examples of DOMAIN.md and reads birth date and sex from them', () => {
    for (const id of EXAMPLES) expect(validate(id), id).to.deep.equal({ valid: true });
    expect(residentId.parse('11010519491231002X')).to.deep.equal({ regionCode: '110105', birthDate: '1949-12-31', sex: '女' });
    expect(residentId.parse('360426199101010071')).to.deep.equal({ regionCode: '360426', birthDate: '1991-01-01', sex: '男' });
  });

  it('computes the check character of the examples from their first 17 digits', () => {
    expect(residentId.checkChar('11010519491231002')).to.equal('X');
    expect(residentId.checkChar('36042619910101007')).to.equal('1');
    expect(residentId.checkChar('3604261991010100')).to.equal(undefined);
    expect(residentId.checkChar('3604261991010100A')).to.equal(undefined);
  });

  it('uses the weights of ISO 7064 MOD 11-2: 2^(17-i) mod 11', () => {
    expect(residentId.WEIGHTS).to.deep.equal(Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11));
  });

  it('rejects every single-character substitution of a valid number, at every position', () => {
    for (const id of EXAMPLES) {
      const variants = substitutions(id, PRINTABLE);
      expect(variants.length).to.be.greaterThan(18 * 60);
      for (const { variant } of variants) expect(validate(variant).valid, variant).to.equal(false);
    }
  });

  it('rejects every swap of neighbouring digits and of digits one apart', () => {
    for (const id of EXAMPLES) {
      for (const distance of [1, 2]) {
        for (const { variant } of transpositions(id, distance)) expect(validate(variant).valid, variant).to.equal(false);
      }
    }
  });

  it('rejects wrong lengths, saying how long a number is', () => {
    const id = EXAMPLES[1];
    for (let length = 1; length <= 30; length++) {
      if (length === 18) continue;
      const value = length < 18 ? id.slice(0, length) : id + '0'.repeat(length - 18);
      expect(reasonOf(value)).to.equal(`身份证号码应为18位，现为${length}位`);
    }
    expect(reasonOf('')).to.equal('请填写身份证号码');
    expect(reasonOf('36042619910101007')).to.contain('现为17位');
  });

  it('rejects Feb 29 of years that are not leap years, and other dates that do not exist', () => {
    for (const date of ['19990229', '19000229', '20230229', '19910431', '19911301', '19910100', '19910132']) {
      expect(reasonOf(withCheck(`360426${date}007`)), date).to.equal(`身份证号码中的出生日期“${date}”不是真实存在的日期`);
    }
    for (const date of ['20000229', '19960229', '20240229'])
      expect(validate(withCheck(`360426${date}007`)), date).to.deep.equal({ valid: true });
  });

  it('rejects birth dates before 1900 or after today', () => {
    expect(reasonOf(withCheck('36042618991231007'))).to.contain('早于1900年');
    expect(reasonOf(withCheck('36042620261123007'))).to.contain('晚于今天');
    expect(validate(withCheck('36042620261122007'))).to.deep.equal({ valid: true });
  });

  it('takes the sex from the 17th digit: odd for men, even for women', () => {
    for (let digit = 0; digit <= 9; digit++) {
      expect(residentId.parse(withCheck(`3604261991010100${digit}`))?.sex).to.equal(digit % 2 ? '男' : '女');
    }
  });

  it('rejects region codes of no province, and prefecture 00 under a province', () => {
    expect(reasonOf(withCheck('99010519491231002'))).to.contain('“99”不是省级行政区划代码');
    expect(reasonOf(withCheck('10010519491231002'))).to.contain('不是省级行政区划代码');
    expect(reasonOf(withCheck('11000519491231002'))).to.contain('“110005”不存在');
    expect(validate(withCheck('81000019910101007'))).to.deep.equal({ valid: true });
    expect(reasonOf(withCheck('81010019910101007'))).to.contain('“810100”不存在');
  });

  it('names a wrong character, a lower-case x and a wrong check character in plain Chinese', () => {
    expect(reasonOf('3604261991O1010071')).to.equal('身份证号码第11位“O”应为数字');
    expect(reasonOf('11010519491231002x')).to.equal('身份证号码末位的x应为大写X');
    expect(reasonOf('11010519491231002Y')).to.equal('身份证号码末位“Y”应为数字或X');
    expect(reasonOf('110105194912310021')).to.equal('身份证号码校验码不符，请逐位核对是否输错');
  });

  describe('repair of OCR readings', () => {
    const repair = (reading: string) => residentId.repair(reading, { today: TODAY });

    it('maps O→0, I and l→1, Z→2, S→5, B→8 and x→X to the one valid number', () => {
      expect(repair('36O426199IO1OlOO7l')).to.equal('360426199101010071');
      expect(repair('11010519491231002x')).to.equal('11010519491231002X');
      expect(repair('110105l949123lOOZX')).to.equal('11010519491231002X');
      const withFiveAndEight = withCheck('35080219680401869').replace('5', 'S').replace(/8/g, 'B');
      expect(repair(withFiveAndEight)).to.equal(withCheck('35080219680401869'));
    });

    it('drops the spaces OCR inserts, and reads full-width digits', () => {
      expect(repair('3604 2619 9101 0100 71')).to.equal('360426199101010071');
      expect(repair('１１０１０５１９４９１２３１００２Ｘ')).to.equal('11010519491231002X');
    });

    it('returns a valid number as it is', () => {
      for (const id of EXAMPLES) expect(repair(id)).to.equal(id);
    });

    it('returns nothing when no reading is valid: a wrong digit is not an OCR confusion', () => {
      expect(repair('360426199101010072')).to.equal(undefined);
      expect(repair('36O426199101010072')).to.equal(undefined);
      expect(repair('36042619910101007')).to.equal(undefined);
      expect(repair('3604261991010100X1')).to.equal(undefined);
    });
  });
});
