import { SERVED_JOB_TYPES } from '../../../server/deployments/rules/job-types';
import { jobTypeOfTemplate, TEMPLATE_ID_PREFIX, type ElementTemplate } from './load';

interface Palette {
  registerProvider(priority: number, provider: unknown): void;
}

interface ElementTemplates {
  getLatest(): ElementTemplate[];
  createElement(template: ElementTemplate): TemplateShape;
}

interface TemplateShape {
  businessObject: { name?: string };
}

interface Create {
  start(event: Event, element: TemplateShape): void;
}

interface EventBus {
  on(event: string, callback: () => void): void;
}

/** One palette entry per job type of ours ("OCR 识别", "归档", …): drag or click to place a task with its template. */
export default class TemplatePalette {
  static $inject = ['palette', 'create', 'elementTemplates', 'eventBus'];

  private registered = false;

  constructor(
    private readonly palette: Palette,
    private readonly create: Create,
    private readonly elementTemplates: ElementTemplates,
    eventBus: EventBus,
  ) {
    // The templates arrive after the diagram: the entries appear with them.
    eventBus.on('elementTemplates.changed', () => {
      if (this.registered) return;
      this.registered = true;
      this.palette.registerProvider(500, this);
    });
  }

  getPaletteEntries(): Record<string, unknown> {
    const entries: Record<string, unknown> = {};
    // In the order of JOBS.md, which is roughly the order of a matter's process.
    const rank = (template: ElementTemplate) => SERVED_JOB_TYPES.indexOf(jobTypeOfTemplate(template) ?? '') >>> 0;
    const ours = this.elementTemplates
      .getLatest()
      .filter((template) => template.id.startsWith(TEMPLATE_ID_PREFIX))
      .sort((a, b) => rank(a) - rank(b));
    for (const template of ours) {
      const start = (event: Event) => {
        const shape = this.elementTemplates.createElement(template);
        // Named after its template, so the canvas says what the step does until the designer renames it.
        shape.businessObject.name = template.name;
        this.create.start(event, shape);
      };
      entries[`create.${template.id}`] = {
        group: 'approvals',
        className: 'approvals-template-entry',
        title: template.name,
        imageUrl: template.icon?.contents,
        action: { click: start, dragstart: start },
      };
    }
    return entries;
  }
}
