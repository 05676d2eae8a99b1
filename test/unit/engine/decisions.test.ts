import { expect } from 'chai';
import { DecisionError, DecisionSet } from '../../../server/engine/dmn/decisions';

const table = (
  hitPolicy: string,
  rules: string,
  extra = '',
  outputs = '<output id="o1" name="point" typeRef="string" /><output id="o2" name="severity" typeRef="string" />',
) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="Review" namespace="http://approvals">
  <decision id="review" name="审查">
    <decisionTable id="table" hitPolicy="${hitPolicy}" ${extra}>
      <input id="i1" label="身份证号有效"><inputExpression id="e1" typeRef="boolean"><text>facts.idValid</text></inputExpression></input>
      <input id="i2" label="面积"><inputExpression id="e2" typeRef="number"><text>facts.area</text></inputExpression></input>
      ${outputs}
      ${rules}
    </decisionTable>
  </decision>
</definitions>`;

const rule = (id: string, idValid: string, area: string, ...outs: string[]) =>
  `<rule id="${id}"><inputEntry id="${id}a"><text>${idValid}</text></inputEntry><inputEntry id="${id}b"><text>${area}</text></inputEntry>${outs
    .map((o, i) => `<outputEntry id="${id}o${i}"><text>${o}</text></outputEntry>`)
    .join('')}</rule>`;

describe('DMN decision tables (dmn-moddle + feelin)', () => {
  const rules =
    rule('r1', 'false', '-', '"ID"', '"block"') +
    rule('r2', '-', '&lt; 20', '"AREA"', '"warn"') +
    rule('r3', '-', '[20..10000]', '"OK"', '"info"');

  it('COLLECT returns every matching rule as an object per rule', async () => {
    const set = await DecisionSet.parse(table('COLLECT', rules));
    expect(set.evaluate('review', { facts: { idValid: false, area: 12 } })).to.deep.equal([
      { point: 'ID', severity: 'block' },
      { point: 'AREA', severity: 'warn' },
    ]);
    expect(set.evaluate('review', { facts: { idValid: true, area: 50 } })).to.deep.equal([{ point: 'OK', severity: 'info' }]);
  });

  it('UNIQUE gives the one match, null for none, and refuses two', async () => {
    const set = await DecisionSet.parse(table('UNIQUE', rules));
    expect(set.evaluate('review', { facts: { idValid: true, area: 50 } })).to.deep.equal({ point: 'OK', severity: 'info' });
    expect(set.evaluate('review', { facts: { idValid: true, area: 20000 } })).to.equal(null);
    expect(() => set.evaluate('review', { facts: { idValid: false, area: 10 } })).to.throw(DecisionError, 'r1, r2');
  });

  it('FIRST and RULE ORDER keep the rule order', async () => {
    const first = await DecisionSet.parse(table('FIRST', rules));
    expect(first.evaluate('review', { facts: { idValid: false, area: 10 } })).to.deep.equal({ point: 'ID', severity: 'block' });
    const ordered = await DecisionSet.parse(table('RULE ORDER', rules));
    expect(ordered.evaluate('review', { facts: { idValid: false, area: 10 } })).to.have.length(2);
  });

  it('COLLECT with SUM and COUNT aggregates a single output', async () => {
    const one = '<output id="o1" name="score" typeRef="number" />';
    const scored = rule('s1', 'false', '-', '10') + rule('s2', '-', '&lt; 20', '5');
    const sum = await DecisionSet.parse(table('COLLECT', scored, 'aggregation="SUM"', one));
    expect(sum.evaluate('review', { facts: { idValid: false, area: 1 } })).to.equal(15);
    const count = await DecisionSet.parse(table('COLLECT', scored, 'aggregation="COUNT"', one));
    expect(count.evaluate('review', { facts: { idValid: true, area: 100 } })).to.equal(0);
  });

  it('output entries are FEEL over the context (a message built from the facts)', async () => {
    const built = rule('m1', 'false', '-', '"ID"', '"身份证号 " + facts.id + " 校验位错误"');
    const set = await DecisionSet.parse(table('COLLECT', built));
    expect(set.evaluate('review', { facts: { idValid: false, id: '110105194912310021', area: 1 } })).to.deep.equal([
      { point: 'ID', severity: '身份证号 110105194912310021 校验位错误' },
    ]);
  });

  it('entries that name no variable and entries that name one both see the right values (literals skip the variables)', async () => {
    const mixed =
      rule('x1', 'true', '&gt;= facts.minimum', '"BIG"', '"info"') +
      rule('x2', 'true', '&lt; facts.minimum', '"SMALL"', 'facts.label') +
      rule('x3', 'false', '-', '"ID"', 'null');
    const set = await DecisionSet.parse(table('COLLECT', mixed));
    const form = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, `value ${i}`]));
    expect(set.evaluate('review', { form, facts: { idValid: true, area: 30, minimum: 20, label: '面积不足' } })).to.deep.equal([
      { point: 'BIG', severity: 'info' },
    ]);
    expect(set.evaluate('review', { form, facts: { idValid: true, area: 10, minimum: 20, label: '面积不足' } })).to.deep.equal([
      { point: 'SMALL', severity: '面积不足' },
    ]);
    expect(set.evaluate('review', { form, facts: { idValid: false, area: 10, minimum: 20 } })).to.deep.equal([
      { point: 'ID', severity: null },
    ]);
  });

  it('should NOT pass a case when a rule fails to evaluate: the error names the decision and the rule', async () => {
    const broken = rule('bad', 'false', '-', '"ID"', 'foo(');
    const set = await DecisionSet.parse(table('COLLECT', broken));
    try {
      set.evaluate('review', { facts: { idValid: false, area: 1 } });
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(DecisionError);
      expect((error as DecisionError).decisionId).to.equal('review');
      expect((error as DecisionError).ruleId).to.equal('bad');
    }
  });

  const failing = (set: DecisionSet, facts: Record<string, unknown>): DecisionError => {
    try {
      set.evaluate('review', { facts });
    } catch (error) {
      expect(error).to.be.instanceOf(DecisionError);
      return error as DecisionError;
    }
    return expect.fail('should have thrown') as never;
  };

  it('should NOT pass a case when a rule calls a function that does not exist: the rule and the function are named', async () => {
    const misspelled = rule('r1', '-', '-', '"ID"', '"block"') + rule('typo', 'false', 'is defined(facts.area)', '"AREA"', '"block"');
    const error = failing(await DecisionSet.parse(table('COLLECT', misspelled)), { idValid: false, area: 12 });
    expect(error).to.include({ decisionId: 'review', ruleId: 'typo', expression: 'is defined(facts.area)' });
    expect(error.message).to.contain('no such function: is defined');
  });

  it('should NOT pass a case when a function refuses its argument (date("abc")), in an input entry or an output entry', async () => {
    const badDate = rule('date', '-', 'date("abc") &lt; today()', '"AREA"', '"block"');
    const inEntry = failing(await DecisionSet.parse(table('COLLECT', badDate)), { idValid: true, area: 12 });
    expect(inEntry).to.include({ ruleId: 'date' });
    expect(inEntry.message).to.match(/date\('"abc"'\) is not a valid date/);
    const badOutput = rule('message', 'false', '-', '"ID"', '"有效期至 " + string(date(facts.until))');
    const inOutput = failing(await DecisionSet.parse(table('COLLECT', badOutput)), { idValid: false, area: 1, until: '2026-13-45' });
    expect(inOutput).to.include({ ruleId: 'message' });
  });

  it('names the input when an input expression fails', async () => {
    const set = await DecisionSet.parse(table('COLLECT', rules).replace('<text>facts.area</text>', '<text>number(facts.area)</text>'));
    expect(failing(set, { idValid: true, area: '十二' })).to.include({ inputId: 'i2', ruleId: undefined });
  });

  it('keeps FEEL null semantics: a missing path, a null argument or operand is null, not a failure', async () => {
    const nulls =
      rule('n1', '-', '-', '"PATH"', 'facts.missing.deeper') +
      rule('n2', '-', '-', '"DATE"', 'date(facts.until) &lt; today()') +
      rule('n3', '-', '-', '"SUM"', 'facts.count + 1') +
      rule('n4', '-', 'facts.limit.max', '"NEVER"', '"matched"') +
      rule('n5', '-', '-', '"COMPARE"', 'facts.name &lt; 3');
    const set = await DecisionSet.parse(table('COLLECT', nulls));
    expect(set.evaluate('review', { facts: { idValid: true, area: 12, until: null, count: null, name: '王' } })).to.deep.equal([
      { point: 'PATH', severity: null },
      { point: 'DATE', severity: null },
      { point: 'SUM', severity: null },
      { point: 'COMPARE', severity: false },
    ]);
  });

  it('evaluates required decisions first and passes their results by id', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="http://approvals">
  <decision id="adult"><literalExpression id="l1"><text>age &gt;= 18</text></literalExpression></decision>
  <decision id="eligible">
    <informationRequirement id="ir"><requiredDecision href="#adult" /></informationRequirement>
    <literalExpression id="l2"><text>adult and resident</text></literalExpression>
  </decision>
</definitions>`;
    const set = await DecisionSet.parse(xml);
    expect(set.ids()).to.deep.equal(['adult', 'eligible']);
    expect(set.evaluate('eligible', { age: 30, resident: true })).to.equal(true);
    expect(set.evaluate('eligible', { age: 12, resident: true })).to.equal(false);
  });
});
