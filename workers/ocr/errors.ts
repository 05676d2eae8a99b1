/** Every failure of the OCR module is one of these, told apart by `code` (and by class). */
export type OcrErrorCode =
  | 'OCR_QUEUE_FULL'
  | 'OCR_TIMEOUT'
  | 'OCR_UNSUPPORTED_INPUT'
  | 'OCR_BAD_IMAGE'
  | 'OCR_SCANNED_PDF'
  | 'OCR_POOL_CLOSED'
  | 'OCR_ENGINE_FAILED';

export class OcrError extends Error {
  constructor(
    readonly code: OcrErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The queue is full: store the upload and answer `ocr: {pending: true}`, read it later. */
export class OcrQueueFull extends OcrError {
  constructor(
    readonly queued: number,
    readonly limit: number,
  ) {
    super('OCR_QUEUE_FULL', `OCR queue is full (${queued} waiting, limit ${limit})`);
  }
}

/** One image took longer than its time limit; its tesseract worker was terminated and is replaced. */
export class OcrTimeout extends OcrError {
  constructor(readonly timeoutMs: number) {
    super('OCR_TIMEOUT', `OCR of one image took longer than ${timeoutMs} ms`);
  }
}

/** Not a JPEG, PNG or PDF (by its first bytes, whatever its name or MIME type says), or a PDF too damaged to open. */
export class OcrUnsupportedInput extends OcrError {
  constructor(
    readonly detected: string,
    message = `not a JPEG, PNG or PDF file (looks like ${detected})`,
  ) {
    super('OCR_UNSUPPORTED_INPUT', message);
  }
}

/** A JPEG or PNG that cannot be decoded, or too small to hold legible text. */
export class OcrBadImage extends OcrError {
  constructor(message: string, cause?: unknown) {
    super('OCR_BAD_IMAGE', message, { cause });
  }
}

/** A PDF without a text layer (a scan): its pages are then drawn and read by OCR; thrown when they cannot be drawn. */
export class OcrScannedPdf extends OcrError {
  constructor(message = 'the PDF has no text layer (a scanned PDF)', cause?: unknown) {
    super('OCR_SCANNED_PDF', message, { cause });
  }
}

export class OcrPoolClosed extends OcrError {
  constructor() {
    super('OCR_POOL_CLOSED', 'the OCR pool is closed');
  }
}

/** Tesseract failed to start or crashed: a technical failure, worth a retry later. */
export class OcrEngineFailed extends OcrError {
  constructor(message: string, cause?: unknown) {
    super('OCR_ENGINE_FAILED', message, { cause });
  }
}
