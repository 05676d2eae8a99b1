/** One Camunda element template of ours (workers/templates/*.json), as much of it as the modeler reads. */
export interface ElementTemplate {
  id: string;
  name: string;
  version?: number;
  description?: string;
  icon?: { contents: string };
  properties: { type: string; value?: string; binding: { type: string; property?: string; key?: string } }[];
}

/** Our templates are named `approvals.<job type>`. */
export const TEMPLATE_ID_PREFIX = 'approvals.';

/** The templates the server serves beside the workers (server/routes/static-apps.ts). */
export async function loadTemplates(): Promise<ElementTemplate[]> {
  const response = await fetch(new URL('../element-templates.json', document.baseURI), { cache: 'no-cache' });
  if (!response.ok) throw new Error(`元素模板加载失败（HTTP ${response.status}）`);
  return (await response.json()) as ElementTemplate[];
}

/** The job type a template sets (its hidden `zeebe:taskDefinition` type). */
export function jobTypeOfTemplate(template: ElementTemplate): string | undefined {
  return template.properties.find((p) => p.binding.type === 'zeebe:taskDefinition' && (p.binding.property ?? 'type') === 'type')?.value;
}
