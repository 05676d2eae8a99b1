export const DOCUMENT_TYPES = ['id-card-front', 'business-licence', 'issued-licence', 'road-transport-qualification'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** One field read from a document. */
export interface OcrField {
  value: string;
  /** 0..1: tesseract's confidence in the characters, raised to 1 when a check digit confirms the value. */
  confidence: number;
  /** A check digit showed the reading wrong and fixed it (O read for 0 and the like). */
  repaired?: true;
  /** Why the value is doubtful: a check digit fails and no single repair explains it, or it disagrees with another field. */
  flagged?: string;
}

export type OcrFields = Record<string, OcrField>;

export interface OcrResult {
  /** `unknown`: the text matches none of the types (no fields then). */
  documentType: DocumentType | 'unknown';
  fields: OcrFields;
  /** The whole recognised text, lines joined by newlines. */
  text: string;
  /** Milliseconds from the call to the answer, waiting in the queue included. */
  ms: number;
  /** How the text was obtained: `ocr`, or read from the text layer of a PDF. */
  source: 'ocr' | 'pdf-text';
  /** Degrees the image was turned clockwise before it was read (an upside-down or sideways photo); absent when upright. */
  turned?: 90 | 180 | 270;
}
