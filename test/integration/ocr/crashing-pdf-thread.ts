import { parentPort } from 'node:worker_threads';
import type { PdfRequest } from '../../../workers/ocr/pdf-thread';

/** Bytes that make this thread die when asked to draw them, as a thread out of memory or hit by a native fault dies. */
export const CRASH_MARK = '%crash-the-pdf-thread';

// The PDF thread as it is (its listener first: a listener added earlier would take the messages alone), dying at a marked page.
await import('../../../workers/ocr/pdf-thread');
parentPort?.on('message', (request: PdfRequest) => {
  if (request.op === 'page' && Buffer.from(request.bytes).includes(CRASH_MARK)) process.exit(70);
});
