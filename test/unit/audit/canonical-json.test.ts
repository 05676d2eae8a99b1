import { expect } from 'chai';
import { canonicalJson, NotCanonicalJson } from '../../../server/audit/canonical-json';

describe('canonical JSON', () => {
  const written: [string, unknown, string][] = [
    ['sorts keys at every depth, with no whitespace', { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['sorts keys by UTF-16 code units', { é: 1, a: 2, Z: 3, 中: 4, '': 5, aa: 6 }, '{"":5,"Z":3,"a":2,"aa":6,"é":1,"中":4}'],
    ['writes Chinese text as it is', { 事项: '食品经营许可证' }, '{"事项":"食品经营许可证"}'],
    ['writes numbers as JSON.stringify does', [1.5, 10000000000, 0, -0, 1e21, 1e-7, -2.25, 9007199254740991], '[1.5,10000000000,0,0,1e+21,1e-7,-2.25,9007199254740991]'],
    ['writes booleans and null', { t: true, f: false, n: null }, '{"f":false,"n":null,"t":true}'],
    ['escapes control characters and quotes', { s: 'a"b\\c\n\u0007' }, '{"s":"a\\"b\\\\c\\n\\u0007"}'],
    ['keeps a surrogate pair', { s: '😀' }, '{"s":"😀"}'],
    ['writes a Date as its ISO string', { at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }, '{"at":"2026-01-02T03:04:05.006Z"}'],
    ['leaves out a property whose value is undefined', { a: undefined, b: 1 }, '{"b":1}'],
    ['accepts an object without a prototype', Object.assign(Object.create(null), { b: 2, a: 1 }), '{"a":1,"b":2}'],
    ['writes empty containers', { a: {}, b: [] }, '{"a":{},"b":[]}'],
  ];
  for (const [name, value, json] of written) {
    it(name, () => {
      expect(canonicalJson(value)).to.equal(json);
    });
  }

  it('gives the same text after a JSON round trip, as after a jsonb one', () => {
    const value = { 申请人: { 姓名: '张三', 年龄: 30.5 }, list: [1, 'two', { three: [true, null] }], big: 10000000000, at: new Date(0) };
    const once = canonicalJson(value);
    expect(canonicalJson(JSON.parse(once))).to.equal(once);
  });

  it('does not let the same object twice count as a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).to.equal('{"a":{"x":1},"b":[{"x":1}]}');
  });

  class Applicant {
    name = '张三';
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const refused: [string, unknown, string][] = [
    ['undefined inside an array', { items: [1, undefined] }, 'items[1]'],
    ['a hole in a sparse array', { items: [1, , 3] }, 'items[1]'],
    ['undefined as the value', undefined, ''],
    ['NaN', { n: NaN }, 'n'],
    ['Infinity', { n: [Infinity] }, 'n[0]'],
    ['-Infinity', { n: -Infinity }, 'n'],
    ['a bigint', { n: 10n }, 'n'],
    ['a function', { f: () => 1 }, 'f'],
    ['a symbol', { s: Symbol('x') }, 's'],
    ['an invalid Date', { d: new Date(NaN) }, 'd'],
    ['a Map', { m: new Map([['a', 1]]) }, 'm'],
    ['a Set', { s: new Set([1]) }, 's'],
    ['a Buffer', { b: Buffer.from('x') }, 'b'],
    ['a class instance', { who: new Applicant() }, 'who'],
    ['a cycle', cyclic, 'self'],
    ['a NUL character in text', { s: 'a\u0000b' }, 's'],
    ['a NUL character in a key', { 'a\u0000': 1 }, 'a\u0000'],
    ['an unpaired high surrogate', { s: 'x\uD83D' }, 's'],
    ['an unpaired low surrogate', { s: '\uDE00x' }, 's'],
  ];
  for (const [name, value, path] of refused) {
    it(`refuses ${name}, naming where it is`, () => {
      let error: unknown;
      try {
        canonicalJson(value);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(NotCanonicalJson);
      expect((error as NotCanonicalJson).path).to.equal(path);
    });
  }

  it('prefixes paths with the name given', () => {
    expect(() => canonicalJson({ items: [{ n: NaN }] }, 'data')).to.throw(NotCanonicalJson, /^data\.items\[0\]\.n: NaN/);
  });
});
