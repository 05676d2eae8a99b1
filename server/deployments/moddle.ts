import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';

export interface ModdleProperty {
  name: string;
  type: string;
  isMany?: boolean;
  isReference?: boolean;
  isBody?: boolean;
}

/** A parsed BPMN or DMN element: the little of moddle's model that the checks read. */
export interface ModdleElement {
  $type: string;
  $descriptor: { properties: ModdleProperty[] };
  $instanceOf(type: string): boolean;
  get(name: string): any;
  id?: string;
  name?: string;
  [property: string]: any;
}

export interface ParseWarning {
  message: string;
  element?: ModdleElement;
  property?: string;
  value?: unknown;
}

export interface ParseResult {
  rootElement: ModdleElement;
  warnings: ParseWarning[];
}

export interface Moddle {
  fromXML(xml: string, typeName: string): Promise<ParseResult>;
}

const require = createRequire(import.meta.url);

/** BPMN with the Zeebe extensions and the modeler's execution platform attributes, as Camunda 8 files carry them. */
export function createBpmnModdle(): Moddle {
  const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');
  const modeler = require('modeler-moddle/resources/modeler.json');
  return new BpmnModdle({ zeebe, modeler }) as Moddle;
}

export function createDmnModdle(): Moddle {
  return new DmnModdle() as Moddle;
}
