import { append, h, replaceChildren } from '../ui/dom';
import { problemText } from '../api/problem-text';
import { dateTime } from './format';
import type { ApplicationView, Material } from './types';
import type { WorklistApi } from './worklist-api';

const OCR_FIELD_NAMES: Record<string, string> = {
  name: '姓名/名称',
  idNumber: '证件号码',
  sex: '性别',
  ethnicity: '民族',
  birthDate: '出生日期',
  address: '住址',
  uscc: '统一社会信用代码',
  legalRepresentative: '法定代表人',
  licenseNumber: '证照编号',
};

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The materials of an application: each handed-in file previewed (an image as <img>, a PDF in an <iframe>), fetched
 * with the bearer token into a blob URL, with what OCR read from it; exempted materials say why.
 */
export class MaterialsPanel {
  readonly element = h('div', { class: 'materials' });
  private urls: string[] = [];

  constructor(private readonly api: WorklistApi) {}

  show(application: ApplicationView): void {
    this.clear();
    replaceChildren(this.element, ...application.materials.map((material) => this.card(application.id, material)));
  }

  clear(): void {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    replaceChildren(this.element);
  }

  private card(applicationId: string, material: Material): HTMLElement {
    const file = material.handedIn;
    const card = h(
      'article',
      { class: `material${file ? '' : ' material-missing'}`, 'data-material': material.code },
      h(
        'h4',
        {},
        h('span', { class: 'code' }, material.code),
        ` ${material.name}`,
        material.required ? null : h('small', { class: 'hint' }, '（按情形提交）'),
      ),
    );
    if (!file) {
      card.append(h('p', { class: 'hint' }, material.exemptBecause ?? '未提交'));
      return card;
    }
    const preview = h('div', { class: 'preview', 'aria-busy': 'true' }, '正在载入…');
    append(
      card,
      h('p', { class: 'hint' }, `${file.fileName} · ${sizeText(file.size)} · 上传于 ${dateTime(file.uploadedAt)}`),
      preview,
      this.ocrTable(file.ocr),
    );
    void this.load(applicationId, file.id, file.mediaType, file.fileName, preview);
    return card;
  }

  private async load(applicationId: string, materialId: string, mediaType: string, fileName: string, preview: HTMLElement): Promise<void> {
    try {
      const blob = await this.api.materialFile(applicationId, materialId);
      const url = URL.createObjectURL(new Blob([blob], { type: mediaType }));
      this.urls.push(url);
      const shown = mediaType.startsWith('image/')
        ? h('img', { src: url, alt: fileName, class: 'material-image' })
        : h('iframe', { src: url, title: fileName, class: 'material-pdf' });
      replaceChildren(preview, shown, h('a', { href: url, target: '_blank', rel: 'noopener', class: 'open-file' }, '在新窗口打开'));
    } catch (error) {
      replaceChildren(preview, h('span', { class: 'error-text' }, problemText('载入材料', error)));
    } finally {
      preview.removeAttribute('aria-busy');
    }
  }

  private ocrTable(ocr: NonNullable<Material['handedIn']>['ocr']): HTMLElement | null {
    if (!ocr) return null;
    if (ocr.status !== 'done' || !ocr.fields) return h('p', { class: 'hint' }, ocr.status === 'pending' ? '正在识别…' : '未能识别出内容');
    return h(
      'table',
      { class: 'ocr-fields' },
      h('caption', {}, '识别结果'),
      ...Object.entries(ocr.fields).map(([key, field]) =>
        h(
          'tr',
          {},
          h('th', {}, OCR_FIELD_NAMES[key] ?? key),
          h('td', {}, field.value),
          h('td', { class: 'hint' }, field.confidence === undefined ? '' : `${Math.round(field.confidence * 100)}%`),
        ),
      ),
    );
  }
}
