// Packages that ship no type declarations; typed as far as we use them (server/deployments/moddle.ts types the parsed elements).
declare module 'dmn-moddle' {
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, type?: string): Promise<{ rootElement: any; warnings: { message: string; element?: any; property?: string }[] }>;
  }
}

declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, type?: string): Promise<{ rootElement: any; warnings: { message: string; element?: any; property?: string }[]; elementsById: Record<string, any>; references: any[] }>;
  }
}
