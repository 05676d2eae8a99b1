import { expect } from 'chai';
import * as licenseIdentifier from '../../../server/identifiers/license-identifier';
import { ALPHANUMERIC } from '../../../server/identifiers/iso7064';
import { LICENSE_TYPES } from '../../../server/registries/license-types';
import { substitutions, transpositions } from './mutations';

/** Identifiers published by provincial e-licence systems, and ones built here for each licence type. */
const PUBLISHED = [
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
];
const BUILT = Object.values(LICENSE_TYPES).map((type, i) =>
  licenseIdentifier.build({
    typeCode: type.code,
    issuerCode: '11350100MBRE140922',
    serial: `2026350100${String(i + 1).padStart(6, '0')}`,
    version: i + 1,
  }),
);
const EXAMPLES = [...PUBLISHED, ...BUILT];

function reasonOf(value: string): string {
  const result = licenseIdentifier.validate(value);
  expect(result.valid, value).to.equal(false);
  return result.valid ? '' : result.reason;
}

const value = (c: string) => ALPHANUMERIC.indexOf(c);

describe('e-licence identifier (GB/T 36904)', () => {
  it('accepts published identifiers and the ones it builds', () => {
    for (const identifier of EXAMPLES) expect(licenseIdentifier.validate(identifier), identifier).to.deep.equal({ valid: true });
  });

  it('computes the check character over type code + issuer code + serial + version', () => {
    expect(licenseIdentifier.checkChar('11100000000013338W01111430000006122244L20230000403001')).to.equal('U');
    expect(licenseIdentifier.checkChar('1110000000001333.8')).to.equal(undefined);
    expect(licenseIdentifier.checkChar('')).to.equal(undefined);
  });

  it('builds and parses back the same parts', () => {
    const parts = { typeCode: LICENSE_TYPES.hygienePermit.code, issuerCode: '11110101MB7Q6K9W3R', serial: '2023110101000001', version: 2 };
    const identifier = licenseIdentifier.build(parts);
    expect(identifier).to.match(/^1\.2\.156\.3005\.2\.11100000MB1640886L012\.11110101MB7Q6K9W3R\.2023110101000001\.002\.[0-9A-Z]$/);
    expect(licenseIdentifier.parse(identifier)).to.deep.equal(parts);
    expect(licenseIdentifier.parse(identifier.slice(0, -1) + '*')).to.equal(undefined);
    expect(() => licenseIdentifier.build({ ...parts, issuerCode: '11110101MB7Q6K9W3X' })).to.throw('颁发机构代码有误');
  });

  it('rejects every single-character substitution, at every position, dots included', () => {
    for (const identifier of EXAMPLES) {
      const variants = substitutions(identifier, `${ALPHANUMERIC}.-a `);
      expect(variants.length).to.be.greaterThan(identifier.length * 38);
      for (const { variant } of variants) expect(licenseIdentifier.validate(variant).valid, variant).to.equal(false);
    }
  });

  it('rejects every swap of neighbours but those MOD 37,36 cannot see: two characters of consecutive value, at one state in 36', () => {
    let swaps = 0;
    for (const identifier of EXAMPLES) {
      for (const { variant, a, b } of transpositions(identifier, 1)) {
        swaps++;
        if (!licenseIdentifier.validate(variant).valid) continue;
        expect([1, 35], `${variant} (${a}${b})`).to.include(Math.abs(value(a) - value(b)));
      }
    }
    expect(swaps).to.be.greaterThan(300);
  });

  it('rejects a wrong root, segments missing or added, and wrong lengths', () => {
    const [identifier] = PUBLISHED;
    expect(reasonOf('')).to.equal('请填写电子证照标识');
    expect(reasonOf(identifier.replace('1.2.156.3005.2', '1.2.156.3005.3'))).to.equal('电子证照标识应以根代码“1.2.156.3005.2.”开头');
    expect(reasonOf(identifier.replace('.001.', '.'))).to.contain('5段');
    expect(reasonOf(`${identifier}.U`)).to.contain('5段');
    for (let length = 0; length < identifier.length; length++)
      expect(licenseIdentifier.validate(identifier.slice(0, length)).valid).to.equal(false);
    expect(licenseIdentifier.validate(`${identifier}0`).valid).to.equal(false);
  });

  it('names the wrong segment in plain Chinese', () => {
    const build = (typeCode: string, issuer: string, serial: string, version: string) => {
      const body = typeCode + issuer + serial + version;
      return `1.2.156.3005.2.${typeCode}.${issuer}.${serial}.${version}.${licenseIdentifier.checkChar(body) ?? '0'}`;
    };
    const type = LICENSE_TYPES.businessLicense.code;
    expect(reasonOf(build('11100000MB0357202A01', '11350100MBRE140922', '1', '001'))).to.contain('证照类型代码“11100000MB0357202A01”');
    expect(reasonOf(build('11100000MB0357202B001', '11350100MBRE140922', '1', '001'))).to.contain('定义机构代码有误');
    expect(reasonOf(build(type, '11350100MBRE140923', '1', '001'))).to.contain('颁发机构代码有误：统一社会信用代码校验码不符');
    expect(reasonOf(build(type, '11350100MBRE140922', '20a6', '001'))).to.contain('流水号“20a6”');
    expect(reasonOf(build(type, '11350100MBRE140922', 'A'.repeat(41), '001'))).to.contain('流水号');
    expect(reasonOf(build(type, '11350100MBRE140922', '1', '000'))).to.contain('版本号“000”');
    expect(reasonOf(build(type, '11350100MBRE140922', '1', '01'))).to.contain('版本号“01”');
    expect(reasonOf(`${PUBLISHED[0].slice(0, -1)}u`)).to.contain('校验位“u”');
    expect(reasonOf(`${PUBLISHED[0].slice(0, -1)}V`)).to.equal('电子证照标识校验位不符，请逐位核对是否输错');
  });
});
