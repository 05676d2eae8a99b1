import { expect } from 'chai';
import * as licenseIdentifier from '../../../server/identifiers/license-identifier';
import { extractFields, segmentsFromText, type DocumentType } from '../../../workers/ocr/index';

const read = (documentType: DocumentType, text: string) => extractFields(documentType, segmentsFromText(text, 0.9)).fields;
const values = (fields: Record<string, { value: string }>) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.value]));

describe('OCR field extraction from recognised text', () => {
  describe('resident ID card front', () => {
    const card = (idLine: string, birth = '出生 1991 年 1 月 1 日', sex = '男') =>
      ['姓名 张 伟', `性别 ${sex}     民族 汉`, birth, '住址 江西省九江市德安县蒲亭镇', '   建设路28号', `公民身份号码   ${idLine}`].join(
        '\n',
      );

    it('reads every field, with the ethnicity in full and the birth date as YYYY-MM-DD', () => {
      const fields = read('id-card-front', card('360426199101010071'));
      expect(values(fields)).to.deep.equal({
        name: '张伟',
        sex: '男',
        ethnicity: '汉族',
        birthDate: '1991-01-01',
        address: '江西省九江市德安县蒲亭镇建设路28号',
        idNumber: '360426199101010071',
      });
      expect(fields.idNumber.confidence).to.equal(1);
      expect(fields.idNumber).to.not.have.property('repaired');
    });

    it('repairs an O read for a 0 in the ID number by its check digit', () => {
      const fields = read('id-card-front', card('36O426199101O10071'));
      expect(fields.idNumber).to.include({ value: '360426199101010071', repaired: true });
    });

    it('repairs a digit read twice when one drop alone makes the check digit right', () => {
      const fields = read('id-card-front', card('11010519491231100 2X'.replace(' ', '')));
      expect(fields.idNumber).to.include({ value: '11010519491231002X', repaired: true });
    });

    it('flags an ID number whose check digit fails and that no single repair explains', () => {
      const fields = read('id-card-front', card('360426199101010072'));
      expect(fields.idNumber.value).to.equal('360426199101010072');
      expect(fields.idNumber.flagged).to.match(/校验码/);
      expect(fields.idNumber.confidence).to.be.below(1);
    });

    it('flags a clearly read birth date or sex that disagrees with a valid ID number', () => {
      const fields = read('id-card-front', card('360426199101010071', '出生 1991 年 2 月 1 日', '女'));
      expect(fields.birthDate.flagged).to.match(/不符/);
      expect(fields.sex.flagged).to.match(/不符/);
    });

    it('takes the birth date and sex from a valid ID number when they were not read', () => {
      const fields = read('id-card-front', card('36042619910101007l', '出生', '?'));
      expect(fields.idNumber).to.include({ value: '360426199101010071', repaired: true });
      expect(fields.birthDate).to.include({ value: '1991-01-01', repaired: true });
      expect(fields.sex).to.include({ value: '男', repaired: true });
    });
  });

  describe('business licence', () => {
    const licence = [
      '统一社会信用代码',
      '91350100M000100Y43',
      '营 业 执 照',
      '名称 福建通达危险货物运输有限公司        注册资本 500万元人民币',
      '类型 有限责任公司(自然人投资或控股)        成立日期 2012年3月5日',
      '法定代表人 阿依古丽。热合曼        营业期限 长期',
      '经营范围 道路危险货物运输;                住所 福建省福州市晋安区',
      '         国内货物运输代理                福新路100号',
    ].join('\n');

    it('reads the two columns apart, and snaps the type to the list of enterprise types', () => {
      expect(values(read('business-licence', licence))).to.deep.equal({
        uscc: '91350100M000100Y43',
        name: '福建通达危险货物运输有限公司',
        type: '有限责任公司（自然人投资或控股）',
        legalRepresentative: '阿依古丽·热合曼',
        address: '福建省福州市晋安区福新路100号',
        establishedOn: '2012-03-05',
      });
    });

    it('repairs lookalike letters in the credit code (O for 0, lower case)', () => {
      const fields = read('business-licence', licence.replace('91350100M000100Y43', '9135O100m0001OOY43'));
      expect(fields.uscc).to.include({ value: '91350100M000100Y43', repaired: true });
    });

    it('finds a field whose label was not read by the row of the label beside it', () => {
      const fields = read('business-licence', licence.replace('名称 ', '名').replace('类型 ', ''));
      expect(fields.name.value).to.equal('福建通达危险货物运输有限公司');
      expect(fields.type.value).to.equal('有限责任公司（自然人投资或控股）');
    });

    it("reads 住所 misread as 疳所, and its wrapped line beside the other column's 经营范围 (rows not lined up)", () => {
      const wrapped = [
        '名称 郑州众正洗浴服务股份有限公司'.padEnd(40) + '注册资本 50万元人民币',
        '类型 股份有限公司(非上市自然人投资'.padEnd(40) + '成立日期 2020年4月8日',
        '     或控股)'.padEnd(40) + '营业期限 长期',
        '法定代表人 邓华'.padEnd(40) + '疳所 河南省郑州市二七区迎宾路156',
        '经营范围 洗浴服务足浴服务养生保健服务'.padEnd(43) + '号',
      ].join('\n');
      const fields = read('business-licence', wrapped);
      expect(fields.address.value).to.equal('河南省郑州市二七区迎宾路156号');
      expect(fields.type.value).to.equal('股份有限公司（非上市、自然人投资或控股）');
    });
  });

  describe('our issued licences', () => {
    const identifier = '1.2.156.3005.2.11100000MB1640886L012.11110101MB5RNY66X4.2022110101000001.001.T';
    const permit = (number: string, id = identifier) =>
      [
        '公共场所卫生许可证',
        `编号: ${number}`,
        '单位名称: 上海明德餐饮管理有限公司',
        '有效期限: 自2022年08月01日至2026年07月31日',
        '电子证照标识:',
        id,
      ].join('\n');

    it('reads number, holder, term and identifier, brackets of the number as printed', () => {
      expect(values(read('issued-licence', permit('京卫公证字[2022）】第1101010001号')))).to.deep.equal({
        licenseNumber: '京卫公证字〔2022〕第1101010001号',
        holderName: '上海明德餐饮管理有限公司',
        validFrom: '2022-08-01',
        validUntil: '2026-07-31',
        identifier,
      });
    });

    it('reads the year of the number with a stray mark among its digits, and a misread legal form of the holder', () => {
      const fields = values(read('issued-licence', permit('苏卫公证字〔2[021）第3201050001号').replace('管理有限公司', '管理有朔公司')));
      expect(fields).to.include({ licenseNumber: '苏卫公证字〔2021〕第3201050001号', holderName: '上海明德餐饮管理有限公司' });
    });

    it('should NOT take a number whose year has too few digits for a year, nor change 有色 in a name', () => {
      expect(read('issued-licence', permit('苏卫公证字〔2[02）第3201050001号')).licenseNumber.value).to.equal(
        '苏卫公证字〔2[02）第3201050001号',
      );
      expect(
        read('issued-licence', permit('京卫公证字〔2022〕第1101010001号').replace('餐饮管理有限公司', '江铜有色公司')).holderName.value,
      ).to.equal('上海明德江铜有色公司');
    });

    it('puts back a misread province abbreviation from the issuer in the identifier', () => {
      expect(read('issued-licence', permit('亰卫公证字〔2022〕第1101010001号')).licenseNumber).to.include({
        value: '京卫公证字〔2022〕第1101010001号',
        repaired: true,
      });
    });

    it('repairs an identifier whose check letter was read as its lookalike digit (O as 0, S as 5)', () => {
      let serial = 2022110101000001;
      let built = '';
      while (!/[OS]$/.test(built)) {
        built = licenseIdentifier.build({
          typeCode: '11100000MB1640886L012',
          issuerCode: '11110101MB5RNY66X4',
          serial: String(serial++),
          version: 1,
        });
      }
      const misread = built.slice(0, -1) + (built.endsWith('O') ? '0' : '5');
      expect(read('issued-licence', permit('京卫公证字〔2022〕第1101010001号', misread)).identifier).to.include({
        value: built,
        repaired: true,
      });
    });

    it('flags an identifier with a wrong check character', () => {
      const wrong = identifier.replace(/T$/, 'A');
      expect(read('issued-licence', permit('京卫公证字〔2022〕第1101010001号', wrong)).identifier.flagged).to.match(/校验位/);
    });
  });

  describe('road transport qualification certificate', () => {
    it('reads the holder, the certificate number as an ID number, the category and the end of validity', () => {
      const text = [
        '中华人民共和国道路运输从业人员从业资格证',
        '姓名:     张伟',
        '证号:     360426199101010071',
        '从业资格类别:     道路危险货物运输驾 驶员',
        '有效期限:     2025-08-05至2031-08-04',
      ].join('\n');
      expect(values(read('road-transport-qualification', text))).to.deep.equal({
        name: '张伟',
        certificateNumber: '360426199101010071',
        idNumber: '360426199101010071',
        category: '道路危险货物运输驾驶员',
        validUntil: '2031-08-04',
      });
    });
  });
});
