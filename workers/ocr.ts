import { complete, fail, type Worker } from './worker';

export interface CaseReading {
  /** Materials read (now or at upload). */
  materials: number;
  /** Form fields whose OCR value is uncertain (low confidence or failing its check): worth a clerk's look. */
  lowConfidence: string[];
}

/** What the ocr worker asks of the platform: read every material of the application not read yet. */
export type ReadCase = (applicationId: string) => Promise<CaseReading | 'unknown-application'>;

/**
 * `ocr` (shared/JOBS.md): reads the application's materials that were not read at upload (the pool was full, or the
 * server stopped), waiting for the pool, and answers `ocr: {materials, lowConfidence}`. A sandbox instance reads nothing.
 */
export function ocrWorker(read: ReadCase): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'ocr',
    // Several images per case, each up to 20 s on a busy pool.
    timeoutMs: 180_000,
    maxConcurrent: 2,
    async handler(job) {
      // A try-it may carry a real application's id: it reads and records nothing.
      if (job.variables.sandbox) return complete({ ocr: { materials: 0, lowConfidence: [] } });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`ocr task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await read(applicationId);
      if (outcome === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({ ocr: outcome });
    },
  };
}
