import type { ParseWarning } from './moddle';
import type { Problem } from './types';

/** moddle's multi-line messages ("...detected\n\tline: 16\n\tcolumn: 4\n\tnested error: ...") on one line. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

/** The id of the last element opened at or before `line`: where a person looks for an XML mistake. */
export function elementIdNear(xml: string, line: number): string | undefined {
  let end = 0;
  for (let n = 0; n < line && end !== -1; n++) end = xml.indexOf('\n', end + (n ? 1 : 0));
  const before = end === -1 ? xml : xml.slice(0, end);
  const ids = [...before.matchAll(/<[\w:.-]+\s[^>]*?\bid="([^"]+)"/g)];
  return ids.length ? ids[ids.length - 1][1] : undefined;
}

function lineOf(message: string): number | undefined {
  const match = /line: (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** A file that moddle refused to read at all. */
export function parseFailure(file: string, xml: string, error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const line = lineOf(message);
  return { file, elementId: line ? elementIdNear(xml, line) : undefined, message: `The XML does not parse: ${oneLine(message)}` };
}

/** A moddle warning (an unresolved reference, an unknown element or attribute), which we treat as an error. */
export function warningProblem(file: string, xml: string, warning: ParseWarning): Problem {
  if (warning.message.startsWith('unresolved reference') && warning.element) {
    return {
      file,
      elementId: warning.element.id,
      message: `${warning.property ?? 'a reference'} of ${warning.element.id ?? warning.element.$type} refers to "${String(warning.value)}", which is not in the file`,
    };
  }
  const line = lineOf(warning.message);
  return { file, elementId: warning.element?.id ?? (line ? elementIdNear(xml, line) : undefined), message: oneLine(warning.message) };
}
