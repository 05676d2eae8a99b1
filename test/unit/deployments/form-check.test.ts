import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { checkForm } from '../../../server/deployments/form-check';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'deployments');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const form = (components: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'public-place-hygiene-permit-apply', type: 'default', schemaVersion: 18, components, ...extra });
const errorsOf = (text: string) => checkForm('apply.form', text).errors.map((e) => `${e.elementId}: ${e.message}`);

describe('form check', () => {
  it('accepts the review form with a group, a dynamic list and a FEEL condition, its id naming the resource', () => {
    const result = checkForm('review.form', read('hygiene-permit-review.form'));
    expect(result.errors).to.deep.equal([]);
    expect(result.warnings).to.deep.equal([]);
    expect(result.resources).to.deep.equal([{ kind: 'form', id: 'public-place-hygiene-permit-review', name: null }]);
  });

  it('refuses the invalid fixture, naming each bad component', () => {
    expect(errorsOf(read('invalid-review.form'))).to.deep.equal([
      'Field_Decision: A "select" needs its options: "values", "valuesKey" or "valuesExpression"',
      'Field_CommentAgain: The key "comment" is already bound by Field_Comment',
      'Field_Untyped: The component has no "type"',
    ]);
  });

  it('refuses text that is not JSON, and JSON that is not a form', () => {
    expect(errorsOf('{"id": ')[0]).to.match(/^undefined: The form is not JSON/);
    expect(errorsOf('[]')).to.deep.equal(['undefined: The form must be a JSON object']);
    expect(errorsOf(JSON.stringify({ type: 'form', components: {} }))).to.deep.equal([
      'undefined: "type" must be "default" (a form-js form), not "form"',
      'undefined: "id" must be a non-empty string: it is the form id that user tasks name in zeebe:formDefinition',
      'undefined: "components" must be an array',
    ]);
  });

  it('requires a key on every input field', () => {
    expect(errorsOf(form([{ id: 'Field_Name', type: 'textfield', label: '姓名' }]))).to.deep.equal([
      'Field_Name: A "textfield" field needs a "key": the variable it binds',
    ]);
  });

  it('scopes keys by the path of groups: the same key under another path is fine, under a group without path it clashes', () => {
    const scoped = form([
      { id: 'Field_Name', type: 'textfield', key: 'name' },
      { id: 'Group_Legal', type: 'group', path: 'legalPerson', components: [{ id: 'Field_LegalName', type: 'textfield', key: 'name' }] },
    ]);
    expect(errorsOf(scoped)).to.deep.equal([]);
    const flat = form([
      { id: 'Field_Name', type: 'textfield', key: 'name' },
      { id: 'Group_Plain', type: 'group', components: [{ id: 'Field_NameAgain', type: 'textfield', key: 'name' }] },
    ]);
    expect(errorsOf(flat)).to.deep.equal(['Field_NameAgain: The key "name" is already bound by Field_Name']);
  });

  it('binds the fields of a dynamic list per item, and needs its path', () => {
    const list = form([
      { id: 'Field_Reason', type: 'textfield', key: 'reason' },
      { id: 'List_Items', type: 'dynamiclist', path: 'corrections', components: [{ id: 'Field_ItemReason', type: 'textfield', key: 'reason' }] },
      { id: 'List_NoPath', type: 'dynamiclist', components: [] },
    ]);
    expect(errorsOf(list)).to.deep.equal(['List_NoPath: A "dynamiclist" needs a "path"']);
  });

  it('keeps pages inside a multipage, and only pages there', () => {
    const pages = form([
      { id: 'Multi', type: 'multipage', components: [{ id: 'Page_1', type: 'page', components: [{ id: 'Field_A', type: 'textfield', key: 'a' }] }, { id: 'Field_Loose', type: 'textfield', key: 'b' }] },
      { id: 'Page_Stray', type: 'page', components: [] },
    ]);
    expect(errorsOf(pages)).to.deep.equal([
      'Field_Loose: A "page" belongs directly in a "multipage", and a "multipage" holds only pages',
      'Page_Stray: A "page" belongs directly in a "multipage", and a "multipage" holds only pages',
    ]);
  });

  it('refuses a component id used twice and FEEL that does not parse', () => {
    const bad = form([
      { id: 'Field_A', type: 'textfield', key: 'a', conditional: { hide: '=decision = ' } },
      { id: 'Field_A', type: 'textfield', key: 'b' },
    ]);
    expect(errorsOf(bad)).to.deep.equal([
      'Field_A: FEEL in "conditional.hide" does not parse (it ends too early (incomplete)): =decision = ',
      'Field_A: The component id "Field_A" is used twice',
    ]);
  });

  it('warns about an unknown component type without refusing it', () => {
    const result = checkForm('apply.form', form([{ id: 'Custom_Map', type: 'map-picker', label: '地图' }]));
    expect(result.errors).to.deep.equal([]);
    expect(result.warnings.map((w) => w.elementId)).to.deep.equal(['Custom_Map']);
  });
});
