export * as residentId from './resident-id';
export * as uscc from './uscc';
export * as licenseIdentifier from './license-identifier';
export { checkRegionCode, PROVINCES } from './region-code';
export { hybridCheckCharacter, hybridIsValid } from './iso7064';
export type { Validation } from './validation';
