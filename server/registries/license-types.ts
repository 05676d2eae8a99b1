/**
 * The licence types the first three matters read, with their GB/T 36904 type codes: the USCC of the national
 * body that defines the type, then a three-digit sequence.
 */
export const LICENSE_TYPES = {
  businessLicense: {
    code: '11100000MB0357202A001',
    name: '营业执照',
    definedBy: '国家市场监督管理总局',
    holderType: '001',
  },
  hygienePermit: {
    code: '11100000MB1640886L012',
    name: '公共场所卫生许可证',
    definedBy: '国家卫生健康委员会',
    holderType: '001',
  },
  publicationLicense: {
    code: '11100000MB0Y1573XM005',
    name: '出版物经营许可证',
    definedBy: '国家新闻出版署',
    holderType: '001',
  },
  transportQualification: {
    code: '11100000000013872T003',
    name: '道路运输从业人员从业资格证',
    definedBy: '交通运输部',
    holderType: '111',
  },
} as const;

export type LicenseTypeKey = keyof typeof LICENSE_TYPES;
export type LicenseType = (typeof LICENSE_TYPES)[LicenseTypeKey];
