import { PDFDocument } from 'pdf-lib';
import { uploadDecodeSlots } from '../images/decode-slots';
import { loadSharp } from '../images/sharp';
import { AppError } from '../errors';
import type { MaterialFileType } from './file-type';

/** Images larger than this many pixels are refused before any decoding (a 10 MB JPEG can claim billions). */
const MAX_PIXELS = 120_000_000;

/**
 * Opens a file the way its reader will, before it is stored: an image must decode (a truncated or corrupt one is
 * refused), a PDF must open without a password and stay within the material's page limit. Each refusal is a 400
 * naming the problem; nothing is stored.
 */
export async function checkFileOpens(
  bytes: Buffer,
  type: MaterialFileType,
  options: { name: string; pageLimit?: number },
): Promise<{ pages?: number }> {
  const refuse = (code: string, message: string) => new AppError(400, code, message, [{ field: 'body.file', message }]);
  if (type === 'pdf') {
    let document: PDFDocument;
    try {
      document = await uploadDecodeSlots.run(() => PDFDocument.load(bytes, { updateMetadata: false }));
    } catch (error) {
      if ((error as Error).name === 'EncryptedPDFError' || /encrypt/i.test((error as Error).message))
        throw refuse('PDF_ENCRYPTED', `"${options.name}"设置了密码或加密，请上传未加密的 PDF`);
      throw refuse('FILE_DAMAGED', `"${options.name}"已损坏，无法打开`);
    }
    const pages = document.getPageCount();
    if (options.pageLimit && pages > options.pageLimit)
      throw refuse('PAGE_LIMIT', `"${options.name}"共${pages}页，超过本材料${options.pageLimit}页的上限`);
    return { pages };
  }
  try {
    const sharp = await loadSharp();
    // Decoding a small version proves the whole image is there (JPEG shrinks on load: cheap even for large photos); a
    // PNG is decoded line by line all the same, so no more run at once than there are cores.
    await uploadDecodeSlots.run(async () => {
      const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS });
      const meta = await image.metadata();
      if (!meta.width || !meta.height) throw new Error('no size');
      await image.resize(64, 64, { fit: 'inside' }).raw().toBuffer();
    });
    return {};
  } catch (error) {
    if (/pixel limit/i.test((error as Error).message))
      throw refuse('IMAGE_TOO_LARGE', `"${options.name}"的像素过多（上限${MAX_PIXELS / 1e6}百万像素），请缩小后上传`);
    throw refuse('FILE_DAMAGED', `"${options.name}"已损坏或不完整，无法打开`);
  }
}
