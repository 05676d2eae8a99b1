/**
 * A new review table for a matter (JOBS.md: decision `<matter-slug>-review`): COLLECT, one finding per matching rule
 * with the outputs the review worker reads (`point`, `severity`, `message`), and one example rule to edit.
 */
export function newReviewTableXml(matterSlug: string, matterName: string): string {
  const escape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const id = `${matterSlug}-review`;
  const name = escape(`${matterName} 审查要点`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${escape(id)}" name="${name}" namespace="http://camunda.org/schema/1.0/dmn" exporter="approvals-platform modeler" exporterVersion="1" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <decision id="${escape(id)}" name="${name}">
    <decisionTable id="DecisionTable_Review" hitPolicy="COLLECT">
      <input id="Input_1" label="材料齐全">
        <inputExpression id="InputExpression_1" typeRef="boolean">
          <text>facts.materialsComplete</text>
        </inputExpression>
      </input>
      <output id="Output_Point" label="审查要点" name="point" typeRef="string" />
      <output id="Output_Severity" label="严重程度" name="severity" typeRef="string" />
      <output id="Output_Message" label="说明" name="message" typeRef="string" />
      <rule id="Rule_MaterialsMissing">
        <description>申请材料须齐全</description>
        <inputEntry id="UnaryTests_MaterialsMissing">
          <text>false</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_MaterialsMissing_Point">
          <text>"materials-complete"</text>
        </outputEntry>
        <outputEntry id="LiteralExpression_MaterialsMissing_Severity">
          <text>"error"</text>
        </outputEntry>
        <outputEntry id="LiteralExpression_MaterialsMissing_Message">
          <text>"申请材料不齐全"</text>
        </outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_1">
      <dmndi:DMNShape id="DMNShape_Review" dmnElementRef="${escape(id)}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}
