import { z } from 'zod';

/**
 * What the registries answer, in the JSON shapes an external registry's HTTP service returns too
 * (dates as YYYY-MM-DD, absent values as null, field names as here).
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** 人口库: a resident as the population registry holds them; the address is the household registration (户籍地址). */
export const personSchema = z.object({
  idNumber: z.string(),
  name: z.string(),
  sex: z.enum(['男', '女']),
  ethnicity: z.string(),
  birthDate: date,
  address: z.string(),
  phone: z.string().nullable(),
  employerUscc: z.string().nullable(),
});
export type Person = z.infer<typeof personSchema>;

export const ENTERPRISE_STATUSES = ['active', 'revoked', 'cancelled'] as const;

/** 法人库: an enterprise as registered; status revoked = 吊销, cancelled = 注销. */
export const enterpriseSchema = z.object({
  uscc: z.string(),
  name: z.string(),
  type: z.string(),
  legalRepresentative: z.object({ name: z.string(), idNumber: z.string() }),
  address: z.string(),
  establishedOn: date,
  /** 万元 */
  registeredCapital: z.number(),
  status: z.enum(ENTERPRISE_STATUSES),
  businessScope: z.string(),
  phone: z.string().nullable(),
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

export const LICENSE_STATUSES = ['valid', 'superseded', 'revoked', 'expired'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** 电子证照库: a licence with the metadata of GB/T 36903; type-specific fields (address, scope, area…) are in `data`. */
export const licenseSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  number: z.string(),
  issuerName: z.string(),
  issuerCode: z.string(),
  issueDate: date,
  validFrom: date,
  /** null: without end (长期) */
  validUntil: date.nullable(),
  holderName: z.string(),
  holderCode: z.string(),
  /** 111: resident ID number; 001: unified social credit code */
  holderType: z.enum(['111', '001']),
  territoryCode: z.string(),
  relatedIdentifier: z.string().nullable(),
  version: z.number().int().positive(),
  status: z.enum(LICENSE_STATUSES),
  data: z.record(z.string(), z.unknown()),
  documentSha256: z.string().nullable(),
  createdAt: z.string(),
});
export type License = z.infer<typeof licenseSchema>;
