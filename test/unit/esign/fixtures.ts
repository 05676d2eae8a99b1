import { licenseIdentifier } from '../../../server/identifiers';
import { LICENSE_TYPES } from '../../../server/registries/license-types';
import type { Department, LicenseForDocument } from '../../../workers/esign/index';

/** The issuing departments of processes/*\/matter.json. */
export const HEALTH: Department = { code: '11110101MB1D20451M', name: '北京市东城区卫生健康委员会' };
export const CULTURE: Department = { code: '11110101MB1D21075L', name: '北京市东城区文化和旅游局' };

export const CREATED_AT = new Date('2026-03-02T10:00:00+08:00');
export const verifyUrl = (id: string) => `https://approvals.example.gov.cn/api/v1/licenses/${id}/verify`;

export function hygienePermit(overrides: Partial<LicenseForDocument> = {}, serial = '2026000123'): LicenseForDocument {
  const typeCode = LICENSE_TYPES.hygienePermit.code;
  return {
    identifier: licenseIdentifier.build({ typeCode, issuerCode: HEALTH.code, serial, version: 1 }),
    typeCode,
    typeName: LICENSE_TYPES.hygienePermit.name,
    number: '京卫公证字〔2026〕第110101000123号',
    issuerName: HEALTH.name,
    issuerCode: HEALTH.code,
    issueDate: '2026-03-02',
    validFrom: '2026-03-02',
    validUntil: '2030-03-01',
    holderName: '北京东直门餐饮管理有限公司',
    holderCode: '91110000600037341L',
    holderType: '001',
    data: {
      legalRepresentative: '张建国',
      address: '北京市东城区东直门内大街123号院4号楼1层101室',
      premisesType: '饭馆',
      category: '住宿与交际场所',
    },
    ...overrides,
  };
}

export function publicationLicense(overrides: Partial<LicenseForDocument> = {}): LicenseForDocument {
  const typeCode = LICENSE_TYPES.publicationLicense.code;
  return {
    identifier: licenseIdentifier.build({ typeCode, issuerCode: CULTURE.code, serial: '2026000045', version: 2 }),
    typeCode,
    typeName: LICENSE_TYPES.publicationLicense.name,
    number: '新出发京零字第东260045号',
    issuerName: CULTURE.name,
    issuerCode: CULTURE.code,
    issueDate: '2026-03-02',
    validFrom: '2024-05-10',
    validUntil: '2027-05-09',
    holderName: '北京书香门第图书有限公司',
    holderCode: '91350100M000100Y43',
    holderType: '001',
    data: {
      legalRepresentative: '李书文',
      businessAddress: '北京市东城区王府井大街88号',
      scope: '图书、报纸、期刊、电子出版物、音像制品零售',
      mode: '零售',
      registeredCapital: '200万元人民币',
    },
    ...overrides,
  };
}
