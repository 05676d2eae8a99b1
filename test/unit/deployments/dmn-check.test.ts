import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DmnChecker } from '../../../server/deployments/dmn-check';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'deployments');
const valid = fs.readFileSync(path.join(FIXTURES, 'hygiene-permit-review.dmn'), 'utf8');
const checker = new DmnChecker();

function edited(from: string, to: string): string {
  expect(valid, `fixture contains ${from}`).to.contain(from);
  return valid.replace(from, to);
}

describe('DMN check', () => {
  it('accepts the COLLECT review table and names its decision as the resource', async () => {
    const result = await checker.check('review.dmn', valid);
    expect(result.errors).to.deep.equal([]);
    expect(result.resources).to.deep.equal([{ kind: 'dmn', id: 'public-place-hygiene-permit-review', name: '公共场所卫生许可 审查要点' }]);
  });

  it('refuses FEEL that does not parse, naming the decision, the rule and the input or output', async () => {
    const result = await checker.check('review.dmn', fs.readFileSync(path.join(FIXTURES, 'bad-feel-review.dmn'), 'utf8'));
    expect(result.errors).to.deep.equal([
      {
        file: 'review.dmn',
        elementId: 'Rule_AreaTooSmall',
        rule: 'feel-syntax',
        message:
          'Decision entertainment-venue-license-review, rule Rule_AreaTooSmall, input "经营面积（平方米）": the FEEL unary tests does not parse (it ends too early (incomplete)): < 20 and',
      },
      {
        file: 'review.dmn',
        elementId: 'Rule_StaffUncertified',
        rule: 'feel-syntax',
        message:
          'Decision entertainment-venue-license-review, rule Rule_StaffUncertified, output "审查要点": the FEEL expression does not parse (unexpected ""staff-health-certificat…" at character 1): "staff-health-certificate',
      },
    ]);
  });

  it('refuses a call of a function that does not exist, naming the rule, the entry and the function', async () => {
    const result = await checker.check('review.dmn', edited('<text>&lt; 20</text>', '<text>&lt; floor area(?)</text>'));
    expect(result.errors).to.deep.equal([
      {
        file: 'review.dmn',
        elementId: 'Rule_AreaTooSmall',
        rule: 'feel-function',
        message:
          'Decision public-place-hygiene-permit-review, rule Rule_AreaTooSmall, input "经营面积（平方米）": the FEEL unary tests calls the function "floor area", which does not exist (it would evaluate to null and the rule would never apply): < floor area(?)',
      },
    ]);
    const inOutput = await checker.check(
      'review.dmn',
      edited('<text>"经营面积不足 20 平方米"</text>', '<text>"经营面积不足 " + trim(string(facts.area))</text>'),
    );
    expect(inOutput.errors.map((e) => [e.elementId, e.rule])).to.deep.equal([['Rule_AreaTooSmall', 'feel-function']]);
    expect(inOutput.errors[0].message).to.contain('"trim"');
  });

  it('should NOT refuse built-in functions, nor a function the expression defines itself', async () => {
    const builtIn = await checker.check(
      'review.dmn',
      edited('<text>&lt; 20</text>', '<text>&lt; decimal(string length("abc") * 10, 0)</text>'),
    );
    expect(builtIn.errors).to.deep.equal([]);
    const own = await checker.check(
      'review.dmn',
      edited('<text>facts.area</text>', '<text>{square: function(x) x * x, r: square(facts.area)}.r</text>'),
    );
    expect(own.errors).to.deep.equal([]);
    const quoted = await checker.check(
      'review.dmn',
      edited('<text>facts.area</text>', '<text>{"half of": function(x) x / 2, r: half of(facts.area)}.r</text>'),
    );
    expect(quoted.errors).to.deep.equal([]);
  });

  it('refuses an input expression that does not parse, naming the input', async () => {
    const result = await checker.check('review.dmn', edited('<text>facts.area</text>', '<text>facts.area +</text>'));
    expect(result.errors.map((e) => e.elementId)).to.deep.equal(['Input_Area']);
  });

  it('should NOT refuse empty or "-" input entries, nor empty output entries', async () => {
    const result = await checker.check('review.dmn', edited('<text>"warning"</text>', '<text></text>'));
    expect(result.errors).to.deep.equal([]);
  });

  it('refuses a rule with fewer entries than the table has inputs', async () => {
    const result = await checker.check(
      'review.dmn',
      edited('<inputEntry id="UnaryTests_StaffUncertified_Ventilation">\n          <text>-</text>\n        </inputEntry>', ''),
    );
    expect(result.errors.map((e) => e.elementId)).to.deep.equal(['Rule_StaffUncertified']);
  });

  it('refuses an unresolved reference, naming the referring element', async () => {
    const withRequirement = edited(
      '<decisionTable id="DecisionTable_Review"',
      '<informationRequirement id="Requirement_Facts"><requiredDecision href="#missing-decision" /></informationRequirement>\n    <decisionTable id="DecisionTable_Review"',
    );
    const result = await checker.check('review.dmn', withRequirement);
    expect(result.errors).to.deep.equal([
      {
        file: 'review.dmn',
        elementId: 'public-place-hygiene-permit-review',
        message: 'public-place-hygiene-permit-review requires "#missing-decision", which is not in the file',
      },
    ]);
  });

  it('refuses broken XML with the element near the mistake', async () => {
    const result = await checker.check('review.dmn', edited('</decisionTable>', '</decisiontable>'));
    expect(result.errors).to.have.length(1);
    expect(result.errors[0].message).to.match(/^The XML does not parse/);
    expect(result.errors[0].elementId).to.equal('LiteralExpression_VentilationReportOld_Message');
  });

  it('checks a literal expression decision', async () => {
    const literal = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_Fee" name="收费" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="permit-fee" name="许可收费">
    <literalExpression id="LiteralExpression_Fee"><text>if area &gt; 100 then 200 else</text></literalExpression>
  </decision>
</definitions>`;
    const result = await checker.check('fee.dmn', literal);
    expect(result.resources.map((r) => r.id)).to.deep.equal(['permit-fee']);
    expect(result.errors.map((e) => e.elementId)).to.deep.equal(['permit-fee']);
  });
});
