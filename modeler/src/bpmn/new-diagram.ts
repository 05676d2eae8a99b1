/** A new Camunda 8.8 process: one start event, ready to draw. `id` is a process id per JOBS.md (`<matter>-<action>`). */
export function newProcessXml(id: string, name: string): string {
  const escape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${escape(id)}" targetNamespace="http://bpmn.io/schema/bpmn" exporter="approvals-platform modeler" exporterVersion="1" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${escape(id)}" name="${escape(name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_Submitted" name="申请已提交" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${escape(id)}">
      <bpmndi:BPMNShape id="StartEvent_Submitted_di" bpmnElement="StartEvent_Submitted">
        <dc:Bounds x="152" y="102" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
