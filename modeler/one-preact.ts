import path from 'node:path';
import type { Plugin } from 'vite';

const FORM_JS = /[\\/]node_modules[\\/]@bpmn-io[\\/]form-js-(viewer|editor)[\\/]/;
const PREACT = /^preact(\/|$)/;

/**
 * The form editor pins preact to at most 10.15.1 while diagram-js needs 10.29 or later, so npm installs two. Its viewer
 * (a dependency that would take the newer one) must render with the editor's copy, or the two share no context:
 * within form-js, `preact` resolves as the editor itself resolves it.
 */
export function formJsPreact(root: string): Plugin {
  const editorEntry = path.join(root, 'node_modules', '@bpmn-io', 'form-js-editor', 'package.json');
  return {
    name: 'approvals:form-js-preact',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !PREACT.test(source) || !FORM_JS.test(importer)) return null;
      return this.resolve(source, editorEntry, { skipSelf: true });
    },
  };
}
