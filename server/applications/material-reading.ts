import type { Knex } from 'knex';
import type { Logger } from '../log';
import type { MatterCatalog } from '../matters/catalog';
import type { Material } from '../matters/schema';
import type { Storage } from '../storage';
import { isEmpty, type DraftForm } from '../../workers/prefill/prefill-form';
import {
  OcrEngineFailed,
  OcrError,
  OcrPoolClosed,
  OcrQueueFull,
  OcrTimeout,
  readDocument,
  type OcrErrorCode,
  type OcrPool,
  type OcrResult,
} from '../../workers/ocr/index';
import type { ApplicationRow, MaterialRow } from './store';

/** What a material's reading left: the fields, or why there are none. Stored in `application_materials.ocr`. */
export interface StoredReading {
  documentType?: string;
  fields: OcrResult['fields'];
  /** The whole text read, for the AI reviewer (readings stored before it was kept have none). */
  text?: string;
  source?: OcrResult['source'];
  ms?: number;
  note?: string;
  /** The reading failed for a reason that may pass (a timeout, a crashed worker): it is read again, a bounded number of times. */
  retryable?: true;
}

export type ReadingOutcome = { status: 'done' | 'failed'; reading: StoredReading } | { status: 'pending' };

export const READ_TIMEOUT_MS = 20_000;
/** Readings of one material at most, the first included, when they fail for a reason that may pass. */
export const MAX_READ_ATTEMPTS = 3;
/** How long the background drain leaves a failed reading before it reads it again (the `ocr` job does not wait). */
export const RETRY_AFTER_MS = 30_000;

/** Why a reading failed, as the applicant and the clerk see it. */
const FAILURE_NOTES: Record<OcrErrorCode, string> = {
  OCR_TIMEOUT: '识别超时',
  OCR_ENGINE_FAILED: '识别程序出错',
  OCR_POOL_CLOSED: '识别服务已停止',
  OCR_QUEUE_FULL: '识别排队已满',
  OCR_BAD_IMAGE: '图片无法解码，或太小看不清文字',
  OCR_UNSUPPORTED_INPUT: '文件不是可识别的 JPG、PNG 或 PDF',
  OCR_SCANNED_PDF: '扫描件 PDF 的页面无法转为图片识别',
};

/** Failures that may pass on another try; a damaged or unreadable file fails the same way every time. */
const mayPass = (error: unknown) =>
  error instanceof OcrTimeout || error instanceof OcrEngineFailed || error instanceof OcrPoolClosed || !(error instanceof OcrError);
/** How soon a reading that waits for the pool tries again when its queue is full. */
const QUEUE_FULL_RETRY_MS = 250;
/** Below this a read field is worth a clerk's look (the `ocr` job's `lowConfidence`). */
export const LOW_CONFIDENCE = 0.8;

/**
 * Reads uploaded materials with OCR (workers/ocr) through one bounded pool: at once when the pool has room, later
 * (`drain`) when it is full, so an upload is never refused or lost for want of OCR. Only materials whose guide says what
 * to read (`ocr` in matter.json) are read. A reading fills the draft's empty, unlocked fields it maps to, as `ocr`.
 */
export class MaterialReader {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      knex: Knex;
      storage: Storage;
      matters: MatterCatalog;
      log: Logger;
      pool: OcrPool;
      /** Time limit of one reading once the pool runs it; default READ_TIMEOUT_MS. */
      readTimeoutMs?: number;
    },
  ) {}

  /** The guide's reading instructions for a material of an application. */
  specOf(row: Pick<ApplicationRow, 'matter_slug'>, code: string): Material['ocr'] | undefined {
    return this.deps.matters.get(row.matter_slug)?.materials.find((m) => m.code === code)?.ocr;
  }

  /** Reads one material now, or marks it pending when the pool's queue is full. */
  async read(material: MaterialRow, ocr: NonNullable<Material['ocr']>, options: { wait?: boolean } = {}): Promise<ReadingOutcome> {
    if (!options.wait) {
      try {
        this.deps.pool.assertCapacity();
      } catch (error) {
        if (!(error instanceof OcrQueueFull)) throw error;
        await this.store(material.id, 'pending', null);
        return { status: 'pending' };
      }
    }
    const bytes = await this.deps.storage.get(material.sha256);
    let outcome: ReadingOutcome;
    try {
      const result = await this.readWhenRoom(bytes, material, ocr, options.wait === true);
      const found = Object.keys(result.fields).length;
      outcome = {
        status: 'done',
        reading: {
          documentType: result.documentType,
          fields: result.fields,
          text: result.text,
          source: result.source,
          ms: result.ms,
          ...(found ? {} : { note: '未能从材料中识别出文字，请确认上传的是清晰的证件照片或扫描件' }),
        },
      };
    } catch (error) {
      if (error instanceof OcrQueueFull && !options.wait) {
        await this.store(material.id, 'pending', null);
        return { status: 'pending' };
      }
      // Unreadable is a fact about the material (the review flags it); the upload itself stands, whatever failed.
      if (!(error instanceof OcrError)) this.deps.log.error('OCR failed unexpectedly', { materialId: material.id, error: String(error) });
      else this.deps.log.warn('a material could not be read', { materialId: material.id, code: error.code, error: error.message });
      const why = error instanceof OcrError ? FAILURE_NOTES[error.code] : '识别出错';
      const again = mayPass(error) && material.ocr_attempts + 1 < MAX_READ_ATTEMPTS;
      outcome = {
        status: 'failed',
        reading: {
          fields: {},
          note: again ? `暂未识别（${why}），稍后将重新识别` : `无法识别：${why}`,
          ...(mayPass(error) ? { retryable: true as const } : {}),
        },
      };
    }
    await this.store(material.id, outcome.status, outcome.reading, { attempted: true });
    return outcome;
  }

  /** The reading; with `wait`, a queue found full (uploads keep coming) is waited out, never taken for a failure. */
  private async readWhenRoom(bytes: Buffer, material: MaterialRow, ocr: NonNullable<Material['ocr']>, wait: boolean): Promise<OcrResult> {
    for (;;) {
      try {
        return await readDocument(bytes, {
          mime: material.media_type,
          documentType: ocr.documentType,
          timeoutMs: this.deps.readTimeoutMs ?? READ_TIMEOUT_MS,
          pool: this.deps.pool,
        });
      } catch (error) {
        if (!(error instanceof OcrQueueFull) || !wait) throw error;
        await new Promise((resolve) => setTimeout(resolve, QUEUE_FULL_RETRY_MS));
      }
    }
  }

  private async store(id: string, status: MaterialRow['ocr_status'], reading: StoredReading | null, options: { attempted?: boolean } = {}) {
    const knex = this.deps.knex;
    await knex('application_materials')
      .where({ id })
      .update({
        ocr_status: status,
        ocr: reading ? JSON.stringify(reading) : null,
        ...(options.attempted ? { ocr_attempts: knex.raw('ocr_attempts + 1'), ocr_read_at: new Date() } : {}),
      });
  }

  /**
   * The fields of a reading written into the draft where the form field is empty and not locked (source `ocr`);
   * only while the applicant may still change the form. Answers the fields filled.
   */
  async applyToForm(applicationId: string, ocr: NonNullable<Material['ocr']>, reading: StoredReading, now: Date): Promise<string[]> {
    return this.deps.knex.transaction(async (trx) => {
      const row = await trx('applications').where({ id: applicationId }).forUpdate().first('status', 'form');
      if (!row || (row.status !== 'draft' && row.status !== 'returned')) return [];
      const form = row.form as DraftForm;
      const applied: string[] = [];
      for (const [readKey, formKey] of Object.entries(ocr.fields)) {
        const read = reading.fields[readKey];
        const entry = form[formKey];
        if (!read || read.flagged || !entry || entry.locked || !isEmpty(entry.value)) continue;
        form[formKey] = { value: read.value, source: 'ocr', locked: false };
        applied.push(formKey);
      }
      if (applied.length)
        await trx('applications')
          .where({ id: applicationId })
          .update({ form: JSON.stringify(form), updated_at: now });
      return applied;
    });
  }

  /**
   * Reads every material left pending (the pool was full), and those whose reading failed for a reason that may pass
   * while they have attempts left, oldest first, waiting for the pool. For one application (the `ocr` job) also the
   * materials never read, and a failed one is read again at once, until it is read or its attempts are spent; the
   * background pass leaves a failed reading RETRY_AFTER_MS before it tries it once more.
   */
  async drain(applicationId?: string): Promise<number> {
    const knex = this.deps.knex;
    const query = knex('application_materials as m')
      .join('applications as a', 'a.id', 'm.application_id')
      .whereNull('m.replaced_at')
      .where((q) => {
        q.whereIn('m.ocr_status', applicationId ? ['pending', 'none'] : ['pending']).orWhere((failed) => {
          failed.where('m.ocr_status', 'failed').where('m.ocr_attempts', '<', MAX_READ_ATTEMPTS).whereRaw(`m.ocr->>'retryable' = 'true'`);
          if (!applicationId) failed.where('m.ocr_read_at', '<', new Date(Date.now() - RETRY_AFTER_MS));
        });
      })
      .orderBy('m.uploaded_at')
      .select('m.*', 'a.matter_slug');
    if (applicationId) query.where('m.application_id', applicationId);
    const rows: (MaterialRow & { matter_slug: string })[] = await query;
    let read = 0;
    for (const row of rows) {
      const ocr = this.specOf(row, row.material_code);
      if (!ocr) continue;
      let outcome = await this.read(row, ocr, { wait: true });
      for (let attempts = row.ocr_attempts + 1; applicationId && this.worthAnotherTry(outcome, attempts); attempts++)
        outcome = await this.read({ ...row, ocr_attempts: attempts }, ocr, { wait: true });
      if (outcome.status !== 'pending') {
        read++;
        await this.applyToForm(row.application_id, ocr, outcome.reading, new Date());
      }
    }
    return read;
  }

  private worthAnotherTry(outcome: ReadingOutcome, attempts: number): boolean {
    return outcome.status === 'failed' && outcome.reading.retryable === true && attempts < MAX_READ_ATTEMPTS;
  }

  /** Drains pending readings every few seconds in the background, one pass at a time. */
  start(intervalMs = 3000): void {
    this.timer = setInterval(() => {
      if (this.draining) return;
      this.draining = this.drain()
        .catch((error) => this.deps.log.error('reading pending materials failed', { error: String(error) }))
        .then(() => void (this.draining = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }
}

/** The `ocr` job: every material of the case read, and the form fields whose reading is uncertain. */
export async function readCase(reader: MaterialReader, knex: Knex, applicationId: string) {
  const row = await knex('applications').where({ id: applicationId }).first('matter_slug');
  if (!row) return 'unknown-application' as const;
  await reader.drain(applicationId);
  const materials: MaterialRow[] = await knex('application_materials').where({ application_id: applicationId }).whereNull('replaced_at');
  const lowConfidence = new Set<string>();
  let read = 0;
  for (const material of materials) {
    const ocr = reader.specOf(row, material.material_code);
    if (!ocr || material.ocr_status === 'none' || material.ocr_status === 'pending') continue;
    read++;
    const fields = ((material.ocr as StoredReading | null)?.fields ?? {}) as StoredReading['fields'];
    for (const [readKey, formKey] of Object.entries(ocr.fields)) {
      const field = fields[readKey];
      if (field && (field.flagged || field.confidence < LOW_CONFIDENCE)) lowConfidence.add(formKey);
    }
  }
  return { materials: read, lowConfidence: [...lowConfidence] };
}
