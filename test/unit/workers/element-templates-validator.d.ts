// @bpmn-io/element-templates-validator ships no declarations; typed as far as the template test uses it.
declare module '@bpmn-io/element-templates-validator' {
  export function validateZeebe(template: unknown): { valid: boolean; errors?: unknown[] };
}
