import { BpmnModdle } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import modeler from 'modeler-moddle/resources/modeler.json';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

export interface ElementChange {
  id: string;
  name: string;
  type: string;
  kind: ChangeKind;
  /** For a change: what changed, one line each ("名称：窗口审查 → 窗口初审"). */
  details: string[];
}

interface Element {
  id: string;
  $type: string;
  name?: string;
  extensionElements?: { values?: Element[] };
  conditionExpression?: { body?: string };
  [property: string]: unknown;
}

const PROPERTY_NAMES: Record<string, string> = {
  name: '名称',
  conditionExpression: '条件',
  default: '默认流',
  sourceRef: '起点',
  targetRef: '终点',
  isExecutable: '可执行',
  cancelActivity: '中断',
  attachedToRef: '附着于',
};

const ORDER: Record<ChangeKind, number> = { added: 0, removed: 1, changed: 2, layout: 3 };

/** What changed from one BPMN version to another (bpmn-js-differ), with the Zeebe settings compared too. */
export async function compareVersions(oldXml: string, newXml: string): Promise<ElementChange[]> {
  const moddle = new BpmnModdle({ zeebe, modeler });
  const [before, after] = await Promise.all([moddle.fromXML(oldXml), moddle.fromXML(newXml)]);
  const oldById = before.elementsById as Record<string, Element>;
  const newById = after.elementsById as Record<string, Element>;
  const changes = diff(before.rootElement, after.rootElement);
  const result: ElementChange[] = [];
  const entry = (element: Element, kind: ChangeKind, details: string[] = []) =>
    result.push({ id: element.id, name: element.name ?? '', type: element.$type, kind, details });

  for (const element of Object.values(changes._added)) entry(element as Element, 'added');
  for (const element of Object.values(changes._removed)) entry(element as Element, 'removed');
  for (const [id, change] of Object.entries(changes._changed)) {
    const details = describe(oldById[id], newById[id], Object.keys(change.attrs));
    if (details.length) entry(newById[id] ?? (change.model as Element), 'changed', details);
  }
  const listed = new Set(result.map((c) => c.id));
  for (const [id, element] of Object.entries(changes._layoutChanged)) {
    if (!listed.has(id)) entry(newById[id] ?? (element as Element), 'layout');
  }
  return result.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.id.localeCompare(b.id));
}

/** The lines that say how `before` became `after`: direct properties, then Zeebe extension settings. */
function describe(before: Element | undefined, after: Element | undefined, properties: string[]): string[] {
  if (!before || !after) return [];
  const lines: string[] = [];
  for (const property of new Set(properties.map((p) => p.split(/[.[]/)[0]))) {
    if (property === 'extensionElements' || property === 'di') continue;
    const from = show(before[property]);
    const to = show(after[property]);
    if (from !== to) lines.push(`${PROPERTY_NAMES[property] ?? property}：${from} → ${to}`);
  }
  const oldSettings = settings(before);
  const newSettings = settings(after);
  for (const line of oldSettings) if (!newSettings.includes(line)) lines.push(`删去 ${line}`);
  for (const line of newSettings) if (!oldSettings.includes(line)) lines.push(`加上 ${line}`);
  return lines;
}

/** Each Zeebe extension element as one line: `zeebe:TaskDefinition type=ocr retries=3`. */
function settings(element: Element): string[] {
  const lines: string[] = [];
  const walk = (node: Element, depth: number) => {
    const attributes = Object.entries(node)
      .filter(
        ([key, value]) => !key.startsWith('$') && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'),
      )
      .map(([key, value]) => `${key}=${value}`);
    lines.push(`${node.$type}${attributes.length ? ' ' + attributes.join(' ') : ''}`);
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && '$type' in child && depth < 4) walk(child as Element, depth + 1);
      }
    }
  };
  for (const value of element.extensionElements?.values ?? []) walk(value, 0);
  return lines;
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '（无）';
  if (typeof value !== 'object') return String(value);
  const element = value as Element;
  if (element.$type === 'bpmn:FormalExpression') return element.body ? String(element.body) : '（无）';
  if (element.id) return element.name ? `${element.name}（${element.id}）` : element.id;
  return element.$type ?? JSON.stringify(value);
}
