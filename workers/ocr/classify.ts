import { findLabel } from './fields/find';
import type { DocumentType } from './types';

/** Words each document type prints, the most telling first (weight 3), then common ones (weight 1). */
const KEYWORDS: Record<DocumentType, [string, number][]> = {
  'road-transport-qualification': [
    ['从业资格证', 3],
    ['从业资格类别', 3],
    ['道路运输从业人员', 3],
    ['准驾车型', 1],
    ['初领日期', 1],
  ],
  'issued-licence': [
    ['卫生许可证', 3],
    ['出版物经营许可证', 3],
    ['电子证照标识', 3],
    ['许可证编号', 2],
    ['许可项目', 1],
    ['发证机关', 1],
  ],
  'business-licence': [
    ['营业执照', 3],
    ['统一社会信用代码', 3],
    ['注册资本', 1],
    ['成立日期', 1],
    ['营业期限', 1],
    ['经营范围', 1],
    ['登记机关', 1],
  ],
  'id-card-front': [
    ['公民身份号码', 3],
    ['民族', 1],
    ['住址', 1],
    ['出生', 1],
    ['性别', 1],
    ['姓名', 1],
  ],
};

/** How many of a document type's printed words the text holds, weighted: 3 and more tells the type. */
export function documentScore(text: string, type: DocumentType): number {
  const compact = text.normalize('NFKC').replace(/\s+/g, '');
  return KEYWORDS[type].reduce((sum, [word, weight]) => sum + (findLabel(compact, word) ? weight : 0), 0);
}

/** The score at which the text tells its document type. */
export const TELLING_SCORE = 3;

/** The document type whose keywords the text holds most of; undefined when it holds none that tell. */
export function classify(text: string): DocumentType | undefined {
  let best: { type: DocumentType; score: number } | undefined;
  for (const type of Object.keys(KEYWORDS) as DocumentType[]) {
    const score = documentScore(text, type);
    if (score >= TELLING_SCORE && (!best || score > best.score)) best = { type, score };
  }
  return best?.type;
}
