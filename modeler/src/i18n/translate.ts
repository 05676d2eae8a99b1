import { canvas } from './zh-CN/canvas';
import { dmn } from './zh-CN/dmn';
import { elementTypes } from './zh-CN/element-types';
import { lintInterface, lintMessages, propertyNames, typeNames } from './zh-CN/lint';
import { properties } from './zh-CN/properties';
import { tooltips } from './zh-CN/tooltips';

const phrases: Record<string, string> = { ...canvas, ...elementTypes, ...properties, ...tooltips, ...lintInterface, ...dmn };

/** `bpmn:UserTask` → 用户任务, `<bpmn:UserTask> or <bpmn:Task>` → each named; unknown names stay as they are. */
function named(text: string): string {
  const bare = typeNames[text] ?? propertyNames[text];
  if (bare) return bare;
  return text.replace(/<([^>]+)>/g, (whole, name: string) => {
    const zh = typeNames[name] ?? propertyNames[name];
    return zh ? `“${zh}”` : whole;
  });
}

/** The Chinese of an English text of bpmn-js, its properties panel, bpmnlint or our rules; the text itself if none. */
export function toChinese(text: string): string {
  const phrase = phrases[text];
  if (phrase) return phrase;
  for (const [pattern, zh] of lintMessages) {
    const match = pattern.exec(text);
    if (match) return zh.replace(/\{(\d)\}/g, (_, group: string) => named(match[Number(group)] ?? ''));
  }
  return text;
}

/** bpmn-js's `translate(template, replacements)` contract, in Chinese. */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  return toChinese(template).replace(/{([^}]+)}/g, (whole, key: string) => replacements[key] ?? whole);
}

/** Replaces the `translate` service of bpmn-js, dmn-js and the properties panels. */
export const translateModule = { translate: ['value', translate] };
