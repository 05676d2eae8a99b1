import { ALPHANUMERIC, hybridCheckCharacter } from './iso7064';
import * as uscc from './uscc';
import { invalid, valid, type Validation } from './validation';

/**
 * E-licence identifier (电子证照标识, GB/T 36904-2018):
 * `1.2.156.3005.2.{type code}.{issuer USCC}.{serial}.{version}.{check}`.
 * The type code is the USCC of the body that defined the licence type followed by a three-digit sequence; the
 * serial is the issuer's own (digits and upper-case letters); the version has three digits, 001 first; the check
 * character is ISO 7064 MOD 37,36 over type code + issuer code + serial + version (see iso7064.ts).
 */
export const ROOT = '1.2.156.3005.2';
const MAX_SERIAL_LENGTH = 40;

export interface LicenseIdentifierParts {
  typeCode: string;
  issuerCode: string;
  serial: string;
  /** 1 for the first issue; a reissue or change raises it. */
  version: number;
}

/** The check character over type code + issuer code + serial + version, concatenated without dots. */
export function checkChar(body: string): string | undefined {
  if (!/^[0-9A-Z]+$/.test(body)) return undefined;
  return hybridCheckCharacter(body, ALPHANUMERIC);
}

export const formatVersion = (version: number): string => String(version).padStart(3, '0');

export function build(parts: LicenseIdentifierParts): string {
  const version = formatVersion(parts.version);
  const check = checkChar(parts.typeCode + parts.issuerCode + parts.serial + version);
  if (!check) throw new Error(`cannot build an e-licence identifier from ${JSON.stringify(parts)}`);
  const identifier = [ROOT, parts.typeCode, parts.issuerCode, parts.serial, version, check].join('.');
  const checked = validate(identifier);
  if (!checked.valid) throw new Error(`cannot build an e-licence identifier from ${JSON.stringify(parts)}: ${checked.reason}`);
  return identifier;
}

export function validate(value: string): Validation {
  if (typeof value !== 'string' || value === '') return invalid('请填写电子证照标识');
  if (!value.startsWith(`${ROOT}.`)) return invalid(`电子证照标识应以根代码“${ROOT}.”开头`);
  const segments = value.slice(ROOT.length + 1).split('.');
  if (segments.length !== 5) {
    return invalid('电子证照标识在根代码之后应有证照类型代码、颁发机构代码、流水号、版本号、校验位5段，以“.”分隔');
  }
  const [typeCode, issuerCode, serial, version, check] = segments;
  if (!/^[0-9A-Z]{18}\d{3}$/.test(typeCode)) {
    return invalid(`证照类型代码“${typeCode}”应为定义机构的18位统一社会信用代码加3位顺序号`);
  }
  const definer = uscc.validate(typeCode.slice(0, 18));
  if (!definer.valid) return invalid(`证照类型代码中的定义机构代码有误：${definer.reason}`);
  const issuer = uscc.validate(issuerCode);
  if (!issuer.valid) return invalid(`颁发机构代码有误：${issuer.reason}`);
  if (!/^[0-9A-Z]+$/.test(serial) || serial.length > MAX_SERIAL_LENGTH) {
    return invalid(`流水号“${serial}”应为1至${MAX_SERIAL_LENGTH}位数字或大写字母`);
  }
  if (!/^\d{3}$/.test(version) || version === '000') return invalid(`版本号“${version}”应为001至999的3位数字`);
  if (!/^[0-9A-Z]$/.test(check)) return invalid(`校验位“${check}”应为1位数字或大写字母`);
  if (checkChar(typeCode + issuerCode + serial + version) !== check) {
    return invalid('电子证照标识校验位不符，请逐位核对是否输错');
  }
  return valid;
}

/** The parts of a valid identifier; undefined when it is not valid. */
export function parse(value: string): LicenseIdentifierParts | undefined {
  if (!validate(value).valid) return undefined;
  const [typeCode, issuerCode, serial, version] = value.slice(ROOT.length + 1).split('.');
  return { typeCode, issuerCode, serial, version: Number(version) };
}
