import type { OcrBox } from '../engine';
import type { OcrFields } from '../types';
import type { IdentifierKind } from './identifier';

/** What an extractor found: the fields, and where each identifier is, to be read again on its own. */
export interface Extraction {
  fields: OcrFields;
  /** `loose`: the box is a band where the value should be, not the value's own box. */
  regions: Record<string, { kind: IdentifierKind; box: OcrBox; loose?: boolean }>;
}
