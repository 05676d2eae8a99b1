import type { ProcessInstance } from '../api/types';
import type { ProcessEditor } from '../bpmn/editor';

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
}

interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: string }): string;
  remove(filter: { type: string }): void;
}

const ACTIVE = 'try-it-active';
const INCIDENT = 'try-it-incident';

/** Marks on the canvas where a tried instance waits (and where it failed). */
export class InstanceMarkers {
  private marked: [string, string][] = [];

  constructor(private readonly editor: ProcessEditor) {}

  /** Marks the elements of `instance` that the canvas has; returns the ids it could not find. */
  show(instance: ProcessInstance): string[] {
    this.clear();
    const registry = this.editor.service<{ get(id: string): unknown }>('elementRegistry');
    const missing: string[] = [];
    const mark = (id: string, marker: string, badge: string, title: string) => {
      if (!registry.get(id)) {
        missing.push(id);
        return;
      }
      this.canvas().addMarker(id, marker);
      this.marked.push([id, marker]);
      this.overlays().add(id, 'try-it', {
        position: { top: -14, right: 14 },
        html: `<span class="try-it-badge ${marker}" title="${title}">${badge}</span>`,
      });
    };
    for (const id of instance.activeElements) mark(id, ACTIVE, '等待中', '试运行实例在此等待');
    for (const incident of instance.incidents) mark(incident.elementId, INCIDENT, '事故', incident.errorMessage.replace(/[<>&"]/g, ''));
    return missing;
  }

  clear(): void {
    for (const [id, marker] of this.marked) this.canvas().removeMarker(id, marker);
    this.marked = [];
    this.overlays().remove({ type: 'try-it' });
  }

  private canvas(): Canvas {
    return this.editor.service<Canvas>('canvas');
  }

  private overlays(): Overlays {
    return this.editor.service<Overlays>('overlays');
  }
}
