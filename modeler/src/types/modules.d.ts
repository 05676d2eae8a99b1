/** The little of the untyped bpmn-io packages that the modeler uses. */
declare module 'virtual:bpmnlint-config' {
  const bundle: { config: unknown; resolver: unknown };
  export default bundle;
}

declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}

declare module 'bpmn-js-differ' {
  export interface ChangeSet {
    _added: Record<string, { id: string; $type: string; name?: string }>;
    _removed: Record<string, { id: string; $type: string; name?: string }>;
    _changed: Record<
      string,
      { model: { id: string; $type: string; name?: string }; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }
    >;
    _layoutChanged: Record<string, { id: string; $type: string; name?: string }>;
  }
  export function diff(a: unknown, b: unknown): ChangeSet;
}

declare module 'dmn-js/lib/Modeler' {
  export default class DmnModeler {
    constructor(options: Record<string, unknown>);
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    getViews(): { type: string; element: { id: string; name?: string } }[];
    getActiveView(): { type: string; element: { id: string; name?: string } } | undefined;
    getActiveViewer(): { get(name: string): any } | undefined;
    open(view: unknown): Promise<unknown>;
    on(event: string, callback: (...args: any[]) => void): void;
    getDefinitions(): any;
    destroy(): void;
  }
}

declare module 'modeler-moddle/resources/modeler.json' {
  const descriptor: Record<string, unknown>;
  export default descriptor;
}

declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, type?: string): Promise<{ rootElement: unknown; elementsById: Record<string, unknown>; warnings: unknown[] }>;
  }
}
