import { expect } from 'chai';
import sharp from 'sharp';
import { checkContent, executableContent } from '../../../workers/archive/content';

describe('archive file content', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  describe('executable content (可执行内容)', () => {
    const programs: [string, Buffer, RegExp][] = [
      ['a Windows executable', latin1('MZ\x90\x00'), /Windows executable \(MZ header\)/],
      ['a Linux executable', latin1('\x7fELF\x02\x01\x01'), /Linux executable \(ELF\)/],
      ['a macOS executable', Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), /Mach-O/],
      ['a shell script', latin1('#!/bin/sh\nrm -rf ~\n'), /script \(#! line\)/],
      ['a web page with a script', Buffer.from('\uFEFF  <script>alert(1)</script>'), /script or web page/],
      ['a JAR', latin1('PK\x03\x04\x14\x00'), /zip archive/],
      [
        'a JPEG carrying an executable after its end',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xd9]), latin1('MZ....This program cannot be run in DOS mode.')]),
        /DOS stub/,
      ],
    ];
    for (const [name, bytes, reason] of programs) {
      it(`names ${name}`, () => {
        expect(executableContent(bytes)).to.match(reason);
      });
    }

    it('should NOT take JSON or a PDF for a program', () => {
      expect(executableContent(latin1('{"script":"<script>"}'))).to.equal(undefined);
      expect(executableContent(latin1('%PDF-1.7\n'))).to.equal(undefined);
    });
  });

  describe('opening in the declared format', () => {
    it('opens JPEG, PNG, JSON', async () => {
      const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      const jpeg = await sharp(png).jpeg().toBuffer();
      for (const [bytes, type] of [
        [png, 'image/png'],
        [jpeg, 'image/jpeg'],
        [latin1('{"a":"中"}'), 'application/json'],
      ] as const) {
        expect(await checkContent(bytes, type), type).to.deep.equal({ usability: [], security: [] });
      }
    });

    const unusable: [string, Buffer, 'image/png' | 'image/jpeg' | 'application/json' | 'application/pdf', RegExp][] = [
      ['a JPEG declared PNG', Buffer.alloc(0), 'image/png', /declared PNG but sharp reads jpeg/],
      ['JSON that is not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'application/json', /not JSON in UTF-8/],
      ['JSON cut short', latin1('{"a":'), 'application/json', /not JSON in UTF-8/],
      ['a PDF with no PDF in it', latin1('%PDF-1.7\nnothing here\n'), 'application/pdf', /pdf-lib cannot open it/],
    ];
    for (const [name, given, type, reason] of unusable) {
      it(`should NOT open ${name}`, async () => {
        const bytes = given.length
          ? given
          : await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
              .jpeg()
              .toBuffer();
        const { usability } = await checkContent(bytes, type);
        expect(usability).to.have.length(1);
        expect(usability[0]).to.match(reason);
      });
    }
  });
});
