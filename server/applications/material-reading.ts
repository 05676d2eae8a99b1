import type { Knex } from 'knex';
import type { Logger } from '../log';
import type { MatterCatalog } from '../matters/catalog';
import type { Material } from '../matters/schema';
import type { Storage } from '../storage';
import { isEmpty, type DraftForm } from '../../workers/prefill/prefill-form';
import { OcrError, OcrQueueFull, readDocument, type OcrPool, type OcrResult } from '../../workers/ocr/index';
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
}

export type ReadingOutcome = { status: 'done' | 'failed'; reading: StoredReading } | { status: 'pending' };

const READ_TIMEOUT_MS = 20_000;
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

  constructor(private readonly deps: { knex: Knex; storage: Storage; matters: MatterCatalog; log: Logger; pool: OcrPool }) {}

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
      outcome = { status: 'failed', reading: { fields: {}, note: `无法识别：${error instanceof OcrError ? error.message : '识别出错'}` } };
    }
    await this.store(material.id, outcome.status, outcome.reading);
    return outcome;
  }

  /** The reading; with `wait`, a queue found full (uploads keep coming) is waited out, never taken for a failure. */
  private async readWhenRoom(bytes: Buffer, material: MaterialRow, ocr: NonNullable<Material['ocr']>, wait: boolean): Promise<OcrResult> {
    for (;;) {
      try {
        return await readDocument(bytes, {
          mime: material.media_type,
          documentType: ocr.documentType,
          timeoutMs: READ_TIMEOUT_MS,
          pool: this.deps.pool,
        });
      } catch (error) {
        if (!(error instanceof OcrQueueFull) || !wait) throw error;
        await new Promise((resolve) => setTimeout(resolve, QUEUE_FULL_RETRY_MS));
      }
    }
  }

  private async store(id: string, status: MaterialRow['ocr_status'], reading: StoredReading | null): Promise<void> {
    await this.deps
      .knex('application_materials')
      .where({ id })
      .update({ ocr_status: status, ocr: reading ? JSON.stringify(reading) : null });
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

  /** Reads every material left pending (the pool was full) or never read, oldest first, waiting for the pool. */
  async drain(applicationId?: string): Promise<number> {
    const query = this.deps
      .knex('application_materials as m')
      .join('applications as a', 'a.id', 'm.application_id')
      .whereNull('m.replaced_at')
      .whereIn('m.ocr_status', applicationId ? ['pending', 'none'] : ['pending'])
      .orderBy('m.uploaded_at')
      .select('m.*', 'a.matter_slug');
    if (applicationId) query.where('m.application_id', applicationId);
    const rows: (MaterialRow & { matter_slug: string })[] = await query;
    let read = 0;
    for (const row of rows) {
      const ocr = this.specOf(row, row.material_code);
      if (!ocr) continue;
      const outcome = await this.read(row, ocr, { wait: true });
      if (outcome.status !== 'pending') {
        read++;
        await this.applyToForm(row.application_id, ocr, outcome.reading, new Date());
      }
    }
    return read;
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
