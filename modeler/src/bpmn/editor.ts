import BpmnModeler from 'camunda-bpmn-js/lib/camunda-cloud/Modeler';
import 'camunda-bpmn-js/dist/assets/camunda-cloud-modeler.css';
import modelerModdle from 'modeler-moddle/resources/modeler.json';
import { translateModule } from '../i18n/translate';
import { flattenLintResults, lintingConfig, lintModule, type LintIssue } from '../lint';
import templatesModule from '../templates';
import type { ElementTemplate } from '../templates/load';

/** The Camunda version the files are made for and linted against (server/deployments/bpmn-check.ts). */
export const CAMUNDA_VERSION = '8.8.0';

/** What the canvas shows: a deployed process at a version, or a new or local file (no version). */
export interface OpenedProcess {
  id: string;
  name: string;
  version?: number;
}

type Modeler = InstanceType<typeof BpmnModeler>;

/** The Camunda 8 modeler in Chinese, with our templates in the palette and lint on the canvas. */
export class ProcessEditor {
  readonly modeler: Modeler;
  opened: OpenedProcess | undefined;
  private dirty = false;
  private readonly listeners = new Set<() => void>();

  constructor(canvas: HTMLElement, properties: HTMLElement) {
    const options = {
      container: canvas,
      propertiesPanel: { parent: properties },
      additionalModules: [translateModule, lintModule, templatesModule],
      moddleExtensions: { modeler: modelerModdle },
      linting: lintingConfig,
      elementTemplates: { engines: { camunda: CAMUNDA_VERSION } },
    };
    this.modeler = new BpmnModeler(options as ConstructorParameters<typeof BpmnModeler>[0]);
    this.modeler.on('commandStack.changed', (event: { trigger?: string }) => {
      if (event.trigger === 'clear') return;
      this.dirty = true;
      this.emit();
    });
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  setTemplates(templates: ElementTemplate[]): void {
    this.service<{ setTemplates(t: ElementTemplate[]): void }>('elementTemplatesLoader').setTemplates(templates);
  }

  /** Shows `xml`; `version` is the deployed version it is, absent for a new or local file. */
  async open(xml: string, version?: number): Promise<OpenedProcess> {
    await this.modeler.importXML(xml);
    const process = this.executableProcess();
    this.opened = { id: process?.id ?? '', name: process?.name ?? '', version };
    this.dirty = false;
    this.service<{ zoom(level: string, center: string): void }>('canvas').zoom('fit-viewport', 'auto');
    this.emit();
    return this.opened;
  }

  async xml(): Promise<string> {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml ?? '';
  }

  /** The id the diagram's executable process has now (the designer may have changed it). */
  currentProcessId(): string | undefined {
    return this.executableProcess()?.id;
  }

  /** Lints the diagram as it is now (the canvas overlays lag behind edits by a moment). */
  async lint(): Promise<LintIssue[]> {
    return flattenLintResults(await this.service<{ lint(): Promise<any> }>('linting').lint());
  }

  /** The deployment has the diagram's content: no unsaved edits. */
  markDeployed(version: number): void {
    if (this.opened) this.opened = { ...this.opened, id: this.currentProcessId() ?? this.opened.id, version };
    this.dirty = false;
    this.emit();
  }

  select(elementId: string): void {
    const element = this.service<{ get(id: string): unknown }>('elementRegistry').get(elementId);
    if (!element) return;
    this.service<{ select(e: unknown): void }>('selection').select(element);
    this.service<{ scrollToElement(e: unknown): void }>('canvas').scrollToElement(element);
  }

  /** "名称（id）" of an element of the diagram, or the id when it has no name or is not drawn. */
  nameOf(elementId: string): string {
    const element = this.service<{ get(id: string): { businessObject?: { name?: string } } | undefined }>('elementRegistry').get(elementId);
    const name = element?.businessObject?.name;
    return name ? `${name}（${elementId}）` : elementId;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  service<T>(name: string): T {
    return this.modeler.get(name) as T;
  }

  private executableProcess(): { id: string; name?: string } | undefined {
    const definitions = this.modeler.getDefinitions() as {
      rootElements?: { $type: string; id: string; name?: string; isExecutable?: boolean }[];
    };
    const processes = (definitions?.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
    return processes.find((p) => p.isExecutable) ?? processes[0];
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
