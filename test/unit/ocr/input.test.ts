import { expect } from 'chai';
import { classify, OcrUnsupportedInput } from '../../../workers/ocr/index';
import { detectInput } from '../../../workers/ocr/input';

describe('OCR input', () => {
  it('tells JPEG, PNG and PDF by their first bytes', () => {
    expect(detectInput(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).to.equal('jpeg');
    expect(detectInput(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).to.equal('png');
    expect(detectInput(Buffer.from('%PDF-1.7\n...'), 'application/pdf')).to.equal('pdf');
  });

  for (const [what, bytes, pattern] of [
    ['a Windows executable', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), /Windows executable/],
    ['a GIF', Buffer.from('GIF89a....'), /GIF/],
    ['nothing', Buffer.alloc(0), /empty/],
  ] as const) {
    it(`refuses ${what} with OcrUnsupportedInput`, () => {
      expect(() => detectInput(bytes)).to.throw(OcrUnsupportedInput, pattern);
    });
  }

  it('refuses a file whose declared type contradicts its bytes', () => {
    expect(() => detectInput(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'application/pdf')).to.throw(OcrUnsupportedInput, /declared/);
    expect(detectInput(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'application/octet-stream')).to.equal('jpeg');
  });

  it('classifies recognised text by the words each document prints, despite a misread character', () => {
    expect(classify('姓 名 张 伟\n公民 身份 号码 360426199101010071')).to.equal('id-card-front');
    expect(classify('营业执照\n统一社会信用代码 91350100M000100Y43')).to.equal('business-licence');
    expect(classify('公共场所卫生许可证\n电子证照标识')).to.equal('issued-licence');
    expect(classify('中华人民共和国道路运输从业人员从业资格证\n姓名 张伟\n出生日期')).to.equal('road-transport-qualification');
    expect(classify('统一杜会信用代码 91350100M000100Y43 注册资本')).to.equal('business-licence');
    expect(classify('发票代码 144031900111')).to.equal(undefined);
  });
});
