import { expect } from 'chai';
import { evaluateFeel, matchesUnaryTest } from '../../../server/engine/feel';

describe('FEEL evaluation over only the variables an expression names', () => {
  const form = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field${i}`, { value: `值 ${i}`, locked: i % 2 === 0 }]));

  it('gives an expression the variables it names, at any depth of a path', () => {
    expect(evaluateFeel('a + b', { a: 1, b: 2, form })).to.equal(3);
    expect(evaluateFeel('facts.area >= facts.minimum', { facts: { area: 30, minimum: 20 }, form })).to.equal(true);
    expect(evaluateFeel('form.field7.value', { form })).to.equal('值 7');
  });

  it('gives it every variable when a name is not one of them: a missing one is null, a local context entry resolves', () => {
    expect(evaluateFeel('missing = null', { a: 1 })).to.equal(true);
    expect(evaluateFeel('{x: 1, y: x + a}.y', { a: 2 })).to.equal(3);
    expect(evaluateFeel('count(items)', { items: [1, 2, 3] })).to.equal(3);
    expect(evaluateFeel('date of birth', { 'date of birth': '1990-01-01', form })).to.equal('1990-01-01');
  });

  it('tests a DMN input entry against the input, with or without variables', () => {
    expect(matchesUnaryTest('< 20', 12, { form }, 'test')).to.equal(true);
    expect(matchesUnaryTest('>= minimum', 12, { minimum: 20, form }, 'test')).to.equal(false);
    expect(matchesUnaryTest('"通过"', '通过', { form }, 'test')).to.equal(true);
    expect(matchesUnaryTest('? > limit', 5, { limit: 3 }, 'test')).to.equal(true);
  });
});
