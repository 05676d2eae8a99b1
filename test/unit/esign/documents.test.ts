import { expect } from 'chai';
import { licenseIdentifier } from '../../../server/identifiers';
import { LICENSE_TYPES } from '../../../server/registries/license-types';
import { EsignError, renderAcceptanceNotice, renderDecision, renderLicense, type DecisionInput } from '../../../workers/esign/index';
import { CREATED_AT, HEALTH, hygienePermit, publicationLicense, verifyUrl } from './fixtures';
import { pageContents, pdfText } from './pdf-text';

const options = { verifyUrl: verifyUrl('L-1'), createdAt: CREATED_AT };

const caseFacts = {
  caseNumber: 'BJDC-2026-000123',
  applicantName: '北京东直门餐饮管理有限公司',
  matterName: '公共场所卫生许可',
  submittedOn: '2026-02-26',
  department: { name: HEALTH.name },
};

const rejection: DecisionInput = {
  ...caseFacts,
  outcome: 'reject',
  letterNumber: '东卫许不字〔2026〕第0012号',
  acceptedOn: '2026-02-27',
  decidedOn: '2026-03-02',
  reasons: ['集中空调通风系统卫生检测报告中送风可吸入颗粒物浓度超过限值。', '未提交从业人员健康合格证明。'],
  appeal: { reviewBody: '北京市东城区人民政府', court: '北京市东城区人民法院' },
};

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(EsignError);
  expect((error as EsignError).code).to.equal(code);
  expect((error as Error).message).to.match(pattern);
}

describe('esign documents', () => {
  describe('the licence', () => {
    it('prints the hygiene permit fields, its number, the identifier and a QR image', async () => {
      const license = hygienePermit();
      const pdf = await renderLicense(license, options);
      const [page] = await pageContents(pdf);
      const text = page.strings.join('');
      expect(page.strings).to.include('公共场所卫生许可证');
      for (const expected of [
        '单位名称：',
        license.holderName,
        '法定代表人（负责人）：',
        '张建国',
        '地址：',
        '许可项目：',
        '饭馆',
        '自2026年3月2日至2030年3月1日',
        license.number,
        `发证机关：${HEALTH.name}`,
        '发证日期：2026年3月2日',
        `电子证照标识：${license.identifier}`,
      ]) {
        expect(text).to.include(expected);
      }
      expect(page.images).to.have.length(1);
      expect(page.images[0]).to.include({ bitsPerComponent: 1 });
      expect(page.images[0].width).to.be.within(25, 60);
    });

    it('prints the publication licence in its own layout', async () => {
      const text = await pdfText(await renderLicense(publicationLicense(), options));
      for (const expected of [
        '出版物经营许可证',
        '法定代表人或主要负责人：',
        '经营场所：',
        '经营范围：',
        '图书、报纸、期刊',
        '经营方式：',
        '零售',
        '注册资本：',
      ]) {
        expect(text).to.include(expected);
      }
      expect(text).not.to.include('许可项目');
    });

    it('prints any other licence type in the generic layout, with the holder and the known fields', async () => {
      const typeCode = LICENSE_TYPES.transportQualification.code;
      const license = hygienePermit({
        identifier: licenseIdentifier.build({ typeCode, issuerCode: HEALTH.code, serial: '350102199001010011', version: 1 }),
        typeCode,
        typeName: LICENSE_TYPES.transportQualification.name,
        number: '350102199001010011',
        holderName: '陈志远',
        holderCode: '350102199001010011',
        holderType: '111',
        validUntil: null,
        data: {
          sex: '男',
          birthDate: '1990-01-01',
          category: '危险货物运输驾驶员',
          employerName: '福州安达危险品运输有限公司',
          internalNote: 'x',
        },
      });
      const text = await pdfText(await renderLicense(license, options));
      for (const expected of [
        '道路运输从业人员从业资格证',
        '持证者：陈志远',
        '公民身份号码：350102199001010011',
        '出生日期：1990年1月1日',
        '从业资格类别：危险货物运输驾驶员',
        '服务单位：',
        '至长期',
      ]) {
        expect(text).to.include(expected);
      }
      expect(text).not.to.include('internalNote');
    });

    it('renders the same bytes for the same licence and creation date', async () => {
      const [a, b] = [await renderLicense(hygienePermit(), options), await renderLicense(hygienePermit(), options)];
      expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
      const later = await renderLicense(hygienePermit(), { ...options, createdAt: new Date('2026-03-03T10:00:00+08:00') });
      expect(Buffer.from(later).equals(Buffer.from(a))).to.equal(false);
    });

    it('prints a character outside 通用规范汉字表 with the whole font, and only then embeds it', async () => {
      const rare = await pageContents(await renderLicense(hygienePermit({ holderName: '北京冇嘢餐饮有限公司' }), options));
      expect(rare[0].strings).to.include('北京冇嘢餐饮有限公司');
      expect(new Set(rare[0].fonts)).to.have.length(2);
      const common = await pageContents(await renderLicense(hygienePermit(), options));
      expect(new Set(common[0].fonts)).to.have.length(1);
    });

    it('should NOT print a licence whose identifier is wrong or belongs to another issuer', async () => {
      const good = hygienePermit();
      await rejectsWith(
        renderLicense({ ...good, identifier: good.identifier.slice(0, -1) + (good.identifier.endsWith('0') ? '1' : '0') }, options),
        'DOCUMENT_INVALID',
        /校验位/,
      );
      await rejectsWith(renderLicense({ ...good, issuerCode: '11110101MB1D21075L' }, options), 'DOCUMENT_INVALID', /不符/);
    });
  });

  describe('the decision letters', () => {
    it('gives the reasons of a rejection and the rights of appeal with their time limits', async () => {
      const text = await pdfText(await renderDecision(rejection, { createdAt: CREATED_AT }));
      for (const expected of [
        '不予行政许可决定书',
        '东卫许不字〔2026〕第0012号',
        '北京东直门餐饮管理有限公司：',
        'BJDC-2026-000123',
        '一、集中空调通风系统',
        '二、未提交从业人员健康合格证明。',
        '第三十八条第二款',
        '六十日内向北京市东城区人民政府申请行政复议',
        '六个月内向北京市东城区人民法院提起行政诉讼',
        '2026年3月2日',
      ]) {
        expect(text.replace(/\n/g, '')).to.include(expected);
      }
    });

    it('names the remedies without the bodies when they are not given', async () => {
      const text = await pdfText(await renderDecision({ ...rejection, appeal: undefined }, { createdAt: CREATED_AT }));
      expect(text).to.include('六十日内依法申请行政复议');
      expect(text).to.include('六个月内依法向人民法院提起行政诉讼');
    });

    it('should NOT write a rejection without reasons', async () => {
      await rejectsWith(renderDecision({ ...rejection, reasons: [' '] }, { createdAt: CREATED_AT }), 'DOCUMENT_INVALID', /说明理由/);
    });

    it('states the licence granted by an approval, and no appeal', async () => {
      const text = await pdfText(
        await renderDecision(
          {
            ...caseFacts,
            outcome: 'approve',
            acceptedOn: '2026-02-27',
            decidedOn: '2026-03-02',
            legalBasis: ['《公共场所卫生管理条例》第四条'],
            license: {
              typeName: '公共场所卫生许可证',
              number: '京卫公证字〔2026〕第110101000123号',
              validFrom: '2026-03-02',
              validUntil: '2030-03-01',
            },
          },
          { createdAt: CREATED_AT },
        ),
      );
      for (const expected of [
        '准予行政许可决定书',
        '第三十八条第一款',
        '京卫公证字〔2026〕第110101000123号',
        '《公共场所卫生管理条例》第四条',
      ]) {
        expect(text).to.include(expected);
      }
      expect(text).not.to.include('行政复议');
    });

    it('runs a long rejection onto numbered pages', async () => {
      const reasons = Array.from(
        { length: 14 },
        (_, i) => `第${i + 1}项审查要点不符合：${'申请材料与现场核查情况不一致，'.repeat(3)}请核实。`,
      );
      const pages = await pageContents(await renderDecision({ ...rejection, reasons }, { createdAt: CREATED_AT }));
      expect(pages.length).to.be.greaterThan(1);
      expect(pages[1].strings).to.include('— 2 —');
      expect(pages.map((p) => p.strings.join('')).join('')).to.include('六个月内');
    });
  });

  describe('the acceptance notice', () => {
    it('carries the case number, the time limit and the materials received', async () => {
      const pdf = await renderAcceptanceNotice(
        {
          ...caseFacts,
          acceptedOn: '2026-02-27',
          timeLimitDays: 5,
          materials: ['公共场所卫生许可申请表', '卫生检测报告'],
          verifyUrl: verifyUrl('D-1'),
        },
        { createdAt: CREATED_AT },
      );
      const [page] = await pageContents(pdf);
      const text = page.strings.join('');
      for (const expected of [
        '受理通知书',
        '办件编号：BJDC-2026-000123',
        '决定予以受理',
        '5个工作日内',
        '1. 公共场所卫生许可申请表',
        '2. 卫生检测报告',
        '2026年2月27日',
      ]) {
        expect(text).to.include(expected);
      }
      expect(page.images).to.have.length(1);
    });
  });
});
