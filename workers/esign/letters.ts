import { documentInvalid } from './errors';
import { A4, GREY, Sheet, chineseDate, drawQrCode, drawSeal, newDocument, saveDocument, type TextStyle } from './layout';
import type { DocumentFonts } from './fonts';
import type { PDFDocument } from 'pdf-lib';

/** A letter of the case to the applicant: a decision (决定书), the acceptance notice (受理通知书) or the refusal to accept (不予受理决定书). */
interface Letter {
  title: string;
  letterNumber?: string;
  addressee: string;
  paragraphs: string[];
  department: string;
  date: string;
  verifyUrl?: string;
  sealPurpose: string;
  keywords: string[];
}

export interface LetterOptions {
  /** The PDF's creation date. */
  createdAt: Date;
}

interface CaseFacts {
  /** 办件编号 */
  caseNumber: string;
  /** 文号, e.g. 东卫许准字〔2026〕第12号 */
  letterNumber?: string;
  applicantName: string;
  /** 事项名称, e.g. 公共场所卫生许可 */
  matterName: string;
  /** YYYY-MM-DD */
  submittedOn: string;
  department: { name: string };
  /** A QR code to this URL is printed when given. */
  verifyUrl?: string;
}

export interface DecisionInput extends CaseFacts {
  outcome: 'approve' | 'reject';
  acceptedOn: string;
  decidedOn: string;
  /** e.g. 《公共场所卫生管理条例》第四条 */
  legalBasis?: string[];
  /** The licence issued, on approval. */
  license?: { typeName: string; number: string; validFrom: string; validUntil: string | null };
  /** Why not, on rejection: at least one. */
  reasons?: string[];
  /** Where to appeal; without them the letter names the remedies without the bodies. */
  appeal?: { reviewBody?: string; court?: string };
}

export interface AcceptanceNoticeInput extends CaseFacts {
  acceptedOn: string;
  /** The promised time limit in working days (承诺办结时限). */
  timeLimitDays: number;
  /** The materials received, listed when given. */
  materials?: string[];
}

const ORDINALS = '一二三四五六七八九十';
const ordinal = (i: number) => (i < 10 ? ORDINALS[i] : String(i + 1));

/** 准予行政许可决定书 or 不予行政许可决定书 (行政许可法 第三十八条). */
export async function renderDecision(input: DecisionInput, options: LetterOptions): Promise<Uint8Array> {
  const opening =
    `你（单位）于${chineseDate(input.submittedOn)}提出的${input.matterName}申请（办件编号：${input.caseNumber}），` +
    `本机关已于${chineseDate(input.acceptedOn)}依法受理。`;
  const basis = input.legalBasis?.length ? `${input.legalBasis.join('、')}和` : '';
  let paragraphs: string[];
  if (input.outcome === 'approve') {
    paragraphs = [
      `${opening}经审查，你（单位）的申请符合法定条件、标准。根据${basis}《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。`,
    ];
    if (input.license) {
      const { typeName, number, validFrom, validUntil } = input.license;
      paragraphs.push(
        `本机关向你（单位）颁发《${typeName}》（编号：${number}），有效期自${chineseDate(validFrom)}至${validUntil ? chineseDate(validUntil) : '长期'}。电子证照与本决定书同步签发，具有同等法律效力。`,
      );
    }
  } else {
    const reasons = (input.reasons ?? []).map((r) => r.trim()).filter((r) => r !== '');
    if (reasons.length === 0) throw documentInvalid('不予行政许可决定书应当说明理由（行政许可法第三十八条第二款）：reasons 为空');
    const review = input.appeal?.reviewBody ? `向${input.appeal.reviewBody}申请行政复议` : '依法申请行政复议';
    const court = input.appeal?.court ? `向${input.appeal.court}提起行政诉讼` : '依法向人民法院提起行政诉讼';
    paragraphs = [
      `${opening}经审查，你（单位）的申请不符合法定条件、标准，理由如下：`,
      ...reasons.map((reason, i) => `${ordinal(i)}、${reason}`),
      `根据${basis}《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。`,
      `如对本决定不服，可以自收到本决定书之日起六十日内${review}，或者自收到本决定书之日起六个月内${court}。`,
    ];
  }
  return renderLetter(
    {
      title: input.outcome === 'approve' ? '准予行政许可决定书' : '不予行政许可决定书',
      letterNumber: input.letterNumber,
      addressee: input.applicantName,
      paragraphs,
      department: input.department.name,
      date: chineseDate(input.decidedOn),
      verifyUrl: input.verifyUrl,
      sealPurpose: '行政许可专用章',
      keywords: [input.caseNumber],
    },
    options,
  );
}

/** 受理通知书 (行政许可法 第三十二条). */
export async function renderAcceptanceNotice(input: AcceptanceNoticeInput, options: LetterOptions): Promise<Uint8Array> {
  const paragraphs = [
    `你（单位）于${chineseDate(input.submittedOn)}提交的${input.matterName}申请已收悉，办件编号：${input.caseNumber}。` +
      `经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理。`,
    `本机关将自受理之日起${input.timeLimitDays}个工作日内作出行政许可决定；依法需要听证、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在内。请凭办件编号查询办理进度。`,
  ];
  if (input.materials?.length) {
    paragraphs.push('收到的申请材料：', ...input.materials.map((m, i) => `${i + 1}. ${m}`));
  }
  return renderLetter(
    {
      title: '受理通知书',
      letterNumber: input.letterNumber,
      addressee: input.applicantName,
      paragraphs,
      department: input.department.name,
      date: chineseDate(input.acceptedOn),
      verifyUrl: input.verifyUrl,
      sealPurpose: '行政许可受理专用章',
      keywords: [input.caseNumber],
    },
    options,
  );
}

export interface RefusalNoticeInput extends CaseFacts {
  decidedOn: string;
  /** Why the application is not accepted: at least one (行政许可法 第三十二条). */
  reasons: string[];
  appeal?: { reviewBody?: string; court?: string };
}

/** 不予受理决定书 (行政许可法 第三十二条第一款): the application is not accepted, with the reasons and the remedies. */
export async function renderRefusalNotice(input: RefusalNoticeInput, options: LetterOptions): Promise<Uint8Array> {
  const reasons = input.reasons.map((r) => r.trim()).filter((r) => r !== '');
  if (reasons.length === 0) throw documentInvalid('不予受理决定书应当说明理由（行政许可法第三十二条）：reasons 为空');
  const review = input.appeal?.reviewBody ? `向${input.appeal.reviewBody}申请行政复议` : '依法申请行政复议';
  const court = input.appeal?.court ? `向${input.appeal.court}提起行政诉讼` : '依法向人民法院提起行政诉讼';
  const paragraphs = [
    `你（单位）于${chineseDate(input.submittedOn)}提交的${input.matterName}申请（办件编号：${input.caseNumber}），经审查，不予受理，理由如下：`,
    ...reasons.map((reason, i) => `${ordinal(i)}、${reason}`),
    `根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。`,
    `如对本决定不服，可以自收到本决定书之日起六十日内${review}，或者自收到本决定书之日起六个月内${court}。`,
  ];
  return renderLetter(
    {
      title: '不予受理决定书',
      letterNumber: input.letterNumber,
      addressee: input.applicantName,
      paragraphs,
      department: input.department.name,
      date: chineseDate(input.decidedOn),
      verifyUrl: input.verifyUrl,
      sealPurpose: '行政许可受理专用章',
      keywords: [input.caseNumber],
    },
    options,
  );
}

const MARGIN = 72;
const BOTTOM = 110;
const BODY: TextStyle & { lineHeight: number } = { size: 14, lineHeight: 26 };

async function renderLetter(letter: Letter, options: LetterOptions): Promise<Uint8Array> {
  const { pdf, fonts } = await newDocument(
    {
      title: letter.title,
      author: letter.department,
      subject: `${letter.title}（${letter.addressee}）`,
      keywords: letter.keywords,
      createdAt: options.createdAt,
    },
    [
      letter.letterNumber ?? '',
      letter.addressee,
      ...letter.paragraphs,
      letter.department,
      letter.date,
      letter.sealPurpose,
      '：扫码核验本文书',
    ],
  );
  const width = A4.width - 2 * MARGIN;
  const pages = new Pages(pdf, fonts);
  let sheet = pages.current;
  let y = A4.height - 90;
  sheet.text(letter.title, A4.width / 2, y, { size: 22, bold: true, spacing: 3, align: 'center' });
  y -= 32;
  if (letter.letterNumber) {
    sheet.text(letter.letterNumber, A4.width / 2, y, { size: 12, align: 'center' });
    y -= 20;
  }
  y -= 24;
  sheet.text(`${letter.addressee}：`, MARGIN, y, BODY);
  y -= BODY.lineHeight;
  for (const paragraph of letter.paragraphs) {
    for (const [i, line] of sheet.wrap(paragraph, width, BODY, BODY.size * 2).entries()) {
      if (y < BOTTOM) ({ sheet, y } = pages.next());
      sheet.text(line, i === 0 ? MARGIN + BODY.size * 2 : MARGIN, y, BODY);
      y -= BODY.lineHeight;
    }
  }
  if (y - 90 < BOTTOM) ({ sheet, y } = pages.next());
  y -= 40;
  const right = A4.width - MARGIN - 10;
  const blockWidth = Math.max(sheet.width(letter.department, BODY), sheet.width(letter.date, BODY));
  sheet.text(letter.department, right - blockWidth / 2, y, { ...BODY, align: 'center' });
  sheet.text(letter.date, right - blockWidth / 2, y - BODY.lineHeight, { ...BODY, align: 'center' });
  drawSeal(sheet, right - blockWidth / 2, y - 8, 50, letter.department, letter.sealPurpose);

  if (letter.verifyUrl) {
    drawQrCode(pdf, sheet.page, letter.verifyUrl, MARGIN, 40, 56);
    sheet.text('扫码核验本文书', MARGIN + 64, 48, { size: 9, color: GREY });
  }
  pages.number();
  return saveDocument(pdf);
}

/** The pages of a letter, numbered at the foot when there are several. */
class Pages {
  readonly sheets: Sheet[] = [];

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: DocumentFonts,
  ) {
    this.add();
  }

  get current(): Sheet {
    return this.sheets[this.sheets.length - 1];
  }

  private add(): Sheet {
    const sheet = new Sheet(this.pdf.addPage([A4.width, A4.height]), this.fonts);
    this.sheets.push(sheet);
    return sheet;
  }

  next(): { sheet: Sheet; y: number } {
    return { sheet: this.add(), y: A4.height - MARGIN };
  }

  number(): void {
    if (this.sheets.length < 2) return;
    this.sheets.forEach((sheet, i) => sheet.text(`— ${i + 1} —`, A4.width / 2, 30, { size: 10, color: GREY, align: 'center' }));
  }
}
