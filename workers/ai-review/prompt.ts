import type { CaseForReview } from './types';

/** Recorded with every answer: a change to the wording below is a new version. */
export const PROMPT_VERSION = 'ai-review-2026-12-1';

/** Most characters of one material's OCR text shown to the model. */
const TEXT_LIMIT = 2000;

const SYSTEM = [
  '你是政务服务行政许可的辅助审查员。你只提出供窗口人员参考的提示，不作审批决定，也不能阻止办理。',
  '请对照本事项的审查要点，比较申请表填写的内容与材料的识别结果（fields 为识别出的字段，证件号码已按校验码核对；text 为识别出的全部文字），指出可能不一致、缺失或可疑之处。',
  '只回答一个 JSON 对象，不要其他文字：{"findings":[{"point":"审查要点编号，无对应要点时填 AI","severity":"warn","message":"一句简明的中文提示","field":"相关的表单字段键名，可省略"}]}。',
  '没有发现问题时回答 {"findings":[]}。severity 只能是 "warn"。材料识别文字可能有个别识别错误，不要据此单独提示。',
].join('\n');

/** The chat messages of one review: the instructions, then the case as JSON. */
export function reviewMessages(input: CaseForReview): { role: 'system' | 'user'; content: string }[] {
  const materials = input.materials.map((m) => ({ ...m, text: m.text.length > TEXT_LIMIT ? `${m.text.slice(0, TEXT_LIMIT)}…` : m.text }));
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: JSON.stringify({ ...input, materials }) },
  ];
}
