/** The properties panel's tooltips and documentation links (Camunda 8 / Zeebe), in Chinese. */
export const tooltips: Record<string, string> = {
  'Documentation: Timer events': '文档：定时器事件',
  'A cycle defined as ISO 8601 repeating intervals format.': '按 ISO 8601 重复间隔格式定义的周期。',
  'List of process variable names that trigger the condition evaluation.': '触发条件计算的流程变量名列表。',
  'Variable events that trigger the condition evaluation.\n\nIf none selected, all variable events will trigger the condition evaluation.':
    '触发条件计算的变量事件。\n\n不选时，所有变量事件都会触发条件计算。',
  'If turned on, all variables from the parent process instance will be propagated to the child process instance.':
    '开启后，父流程实例的全部变量都传入子流程实例。',
  'If turned on, all variables from the child process instance will be propagated to the parent process instance.':
    '开启后，子流程实例的全部变量都传回父流程实例。',
  'Implement a script task using an inline FEEL expression. To add a custom implementation, use a job worker. ':
    '用内联 FEEL 表达式实现脚本任务。要自定义实现，请使用作业处理程序。',
  'Script task documentation': '脚本任务文档',
  'Link or embed a form created with the Camunda Forms editor. To associate a custom form, application, or URL to the user task, specify a form key. ':
    '关联或内嵌用表单编辑器设计的表单。要关联自定义表单、应用或网址，请填写表单键。',
  'Send task documentation': '发送任务文档',
  'Configure the message that the task waits for. ': '配置任务等待的消息。',
  'Receive task message documentation': '接收任务消息文档',
  'Configure the message that will start this process instance. ': '配置启动流程实例的消息。',
  'Message start event documentation': '消息开始事件文档',
  'Configure the message that this event waits for. ': '配置事件等待的消息。',
  'Message catch event documentation': '消息捕获事件文档',
  'Configure the message that will trigger this boundary event. ': '配置触发边界事件的消息。',
  'Message boundary event documentation': '消息边界事件文档',
  ' or ': ' 或 ',
  '). ': '）。',
  'Message throw event documentation': '消息抛出事件文档',
  'Define an input collection expression that defines the collection to iterate over (e.g. ': '用输入集合表达式定义要遍历的集合（例如 ',
  'To collect the output define the output collection and the output element expressions. ': '要汇总输出，请定义输出集合和输出元素表达式。',
  'Define an error code (e.g. ': '定义错误代码（例如 ',
  'The number of times the engine tries executing this activity if a worker signals a failure. The default is three.':
    '作业处理程序报告失败时引擎重试此活动的次数，默认 3 次。',
  'Version tag by which this process can be referenced.': '引用此流程时使用的版本标签。',
  'Version tag by which the called process will be referenced.': '引用被调用流程时使用的版本标签。',
  'Version tag by which the called decision will be referenced.': '引用被调用决策时使用的版本标签。',
  'Version tag by which the linked form will be referenced.': '引用关联表单时使用的版本标签。',
  'Define the completion behavior of an ad-hoc subprocess. If no completion condition is set, it will be completed after all active elements have been completed. ':
    '定义自由子流程的完成方式。未设完成条件时，所有活动元素完成后子流程即完成。',
  'Ad-hoc subprocess documentation': '自由子流程文档',
  'Define a collection of elements which will be activated when the ad-hoc subprocess is reached. ':
    '定义到达自由子流程时要激活的元素集合。',
  'Subscription correlation key documentation': '订阅关联键文档',
};
