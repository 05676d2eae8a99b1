import { schemaVersion } from '@bpmn-io/form-js-editor';

/** A new form-js form for Camunda 8.8; `id` is what user tasks name in `zeebe:formDefinition formId`. */
export function newForm(id: string, title: string): Record<string, unknown> {
  return {
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.8.0',
    exporter: { name: 'approvals-platform modeler', version: '1' },
    schemaVersion,
    id,
    type: 'default',
    components: [
      { id: 'Text_Title', type: 'text', text: `## ${title}` },
      {
        id: 'Field_Decision',
        type: 'radio',
        key: 'decision',
        label: '审查意见',
        validate: { required: true },
        values: [
          { label: '准予许可', value: 'approve' },
          { label: '不予许可', value: 'reject' },
          { label: '退回补正', value: 'return' },
        ],
      },
      { id: 'Field_Comment', type: 'textarea', key: 'comment', label: '意见说明' },
    ],
  };
}
