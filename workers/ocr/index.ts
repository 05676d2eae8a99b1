export { readDocument, defaultOcrPool, closeDefaultOcrPool, extractFields, type ReadOptions } from './read-document';
export { OcrPool, OCR_POOL_DEFAULTS, type OcrJob, type OcrPoolOptions, type OcrPoolStats } from './pool';
export { PdfReader, PDF_READER_DEFAULTS, type PdfReaderOptions, type PdfReaderStats } from './pdf-reader';
export type { OcrEngine, PooledEngine, Recognition, RecognizeOptions } from './engine';
export {
  OcrError,
  OcrQueueFull,
  OcrTimeout,
  OcrUnsupportedInput,
  OcrBadImage,
  OcrScannedPdf,
  OcrPoolClosed,
  OcrEngineFailed,
  type OcrErrorCode,
} from './errors';
export { classify } from './classify';
export { segmentsFromText, type Segment } from './layout';
export { DOCUMENT_TYPES, type DocumentType, type OcrField, type OcrFields, type OcrResult } from './types';
