import { PDFDocument } from 'pdf-lib';

/** A scan of one image on an A4 page, as a scanner's PDF holds it: no text layer. */
export async function scannedPdf(jpeg: Buffer): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedJpg(jpeg);
  const width = 480;
  const height = (image.height / image.width) * width;
  pdf.addPage([595, 842]).drawImage(image, { x: 57, y: 842 - 60 - height, width, height });
  return Buffer.from(await pdf.save());
}
