import { createBpmnModdle, type ModdleElement } from '../../../../server/deployments/moddle';
import { evaluateFeel, feelBody, isFeel } from '../../../../server/engine/feel';
import type { FakeInstance, FakeUserTask } from './cluster-state';
import type { FakeCluster } from './fake-cluster';
import type { JobAnswer } from './fake-gateway';

const moddle = createBpmnModdle();

/** The Zeebe extension of that type on the element, if any. */
const extension = (element: ModdleElement, type: string): ModdleElement | undefined =>
  element.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);

const value = (expression: string, variables: Record<string, unknown>) =>
  isFeel(expression) ? evaluateFeel(feelBody(expression), variables) : expression;

/**
 * Answers for the fake cluster as a broker would along one path of a deployed process, element by element, as the
 * test names them: a service task's job (type, retries, headers from the deployed BPMN) is handed out and its answer
 * awaited, a call activity starts its process with the input mappings (FEEL), an end event hands the outputs back.
 * It walks the path it is given; it does not choose one.
 */
export class Broker {
  private readonly parsed = new Map<string, Promise<ModdleElement>>();

  constructor(private readonly cluster: FakeCluster) {}

  /** The deployed element, from the BPMN bytes the adapter sent (the latest version of the process). */
  async element(processId: string, elementId: string): Promise<ModdleElement> {
    const resource = this.cluster.state.latest('bpmn', processId);
    if (!resource) throw new Error(`process ${processId} was not deployed`);
    let process = this.parsed.get(resource.key);
    if (!process) {
      process = moddle
        .fromXML(resource.content.toString('utf8'), 'bpmn:Definitions')
        .then(({ rootElement }) => rootElement.rootElements.find((r: ModdleElement) => r.id === processId));
      this.parsed.set(resource.key, process);
    }
    const found = (await process).flowElements.find((e: ModdleElement) => e.id === elementId);
    if (!found) throw new Error(`no element ${elementId} in ${processId}`);
    return found;
  }

  /** Hands out the service task's job and waits for the worker; a completion's variables land in the instance. */
  async job(instance: FakeInstance, elementId: string): Promise<JobAnswer> {
    const task = await this.element(instance.bpmnProcessId, elementId);
    const definition = extension(task, 'zeebe:TaskDefinition');
    if (!definition) throw new Error(`${elementId} is not a service task`);
    const headers = extension(task, 'zeebe:TaskHeaders');
    instance.activeElements = [{ elementId, type: 'SERVICE_TASK' }];
    const answer = await this.cluster.gateway.offerJob({
      type: definition.type,
      processInstanceKey: instance.key,
      bpmnProcessId: instance.bpmnProcessId,
      processDefinitionVersion: instance.version,
      processDefinitionKey: instance.definitionKey,
      elementId,
      customHeaders: Object.fromEntries((headers?.values ?? []).map((h: ModdleElement) => [h.key, h.value])),
      variables: { ...instance.variables },
      retries: Number(definition.retries ?? 3),
    });
    if (answer.method === 'CompleteJob') Object.assign(instance.variables, answer.variables);
    return answer;
  }

  /** Whether the sequence flow's condition holds for the instance's variables now. */
  async takes(instance: FakeInstance, flowId: string): Promise<boolean> {
    const flow = await this.element(instance.bpmnProcessId, flowId);
    return evaluateFeel(feelBody(flow.conditionExpression.body), instance.variables) === true;
  }

  /** Starts the process the call activity names: the parent's variables unless it says not to, then the input mappings. */
  async call(parent: FakeInstance, elementId: string): Promise<FakeInstance> {
    const activity = await this.element(parent.bpmnProcessId, elementId);
    const calledElement = extension(activity, 'zeebe:CalledElement')!;
    const called = calledElement.processId;
    const variables: Record<string, unknown> = calledElement.propagateAllParentVariables === false ? {} : { ...parent.variables };
    for (const input of extension(activity, 'zeebe:IoMapping')?.inputParameters ?? [])
      variables[input.target] = value(input.source, parent.variables);
    parent.activeElements = [{ elementId, type: 'CALL_ACTIVITY' }];
    return this.cluster.state.startInstance(this.cluster.state.latest('bpmn', called)!, variables, parent.key);
  }

  /** Ends the instance at that end event; for a called one, its outputs go back through the call activity's mappings. */
  async end(instance: FakeInstance, endEventId: string, caller?: { parent: FakeInstance; elementId: string }): Promise<void> {
    const end = await this.element(instance.bpmnProcessId, endEventId);
    for (const output of extension(end, 'zeebe:IoMapping')?.outputParameters ?? [])
      instance.variables[output.target] = value(output.source, instance.variables);
    instance.state = 'COMPLETED';
    instance.endDate = new Date().toISOString();
    instance.activeElements = [];
    if (!caller) return;
    const activity = await this.element(caller.parent.bpmnProcessId, caller.elementId);
    if (extension(activity, 'zeebe:CalledElement')?.propagateAllChildVariables) Object.assign(caller.parent.variables, instance.variables);
    for (const output of extension(activity, 'zeebe:IoMapping')?.outputParameters ?? [])
      caller.parent.variables[output.target] = value(output.source, instance.variables);
  }

  /** The instance waits at the receive task for its message. */
  async waitAt(instance: FakeInstance, receiveTaskId: string): Promise<void> {
    const task = await this.element(instance.bpmnProcessId, receiveTaskId);
    if (task.$type !== 'bpmn:ReceiveTask') throw new Error(`${receiveTaskId} is not a receive task`);
    instance.activeElements = [{ elementId: receiveTaskId, type: 'RECEIVE_TASK' }];
  }

  /**
   * Correlates a published message (a PublishMessage request) to the receive task the instance waits at, as Zeebe
   * does: only when its name is the task's message and its correlation key the subscription's key evaluated on the
   * instance; its variables land in the instance. Throws when the message would not correlate.
   */
  async correlate(instance: FakeInstance, receiveTaskId: string, published: { name: string; correlationKey: string; variables: string }) {
    const task = await this.element(instance.bpmnProcessId, receiveTaskId);
    if (!instance.activeElements.some((e) => e.elementId === receiveTaskId))
      throw new Error(`the instance does not wait at ${receiveTaskId}`);
    const message = task.messageRef;
    const key = value(extension(message, 'zeebe:Subscription')!.correlationKey, instance.variables);
    if (message.name !== published.name || key !== published.correlationKey)
      throw new Error(`message ${published.name}/${published.correlationKey} does not correlate to ${message.name}/${String(key)}`);
    Object.assign(instance.variables, JSON.parse(published.variables || '{}'));
    instance.activeElements = [];
  }

  /** Creates the user task as Zeebe does on entering it: candidate groups and due date evaluated, the form linked. */
  async userTask(instance: FakeInstance, elementId: string): Promise<FakeUserTask> {
    const element = await this.element(instance.bpmnProcessId, elementId);
    const assignment = extension(element, 'zeebe:AssignmentDefinition');
    const schedule = extension(element, 'zeebe:TaskSchedule');
    const formId = extension(element, 'zeebe:FormDefinition')?.formId;
    const task: FakeUserTask = {
      userTaskKey: this.cluster.state.nextKey(),
      processInstanceKey: instance.key,
      processDefinitionId: instance.bpmnProcessId,
      elementId,
      name: element.name ?? elementId,
      state: 'CREATED',
      candidateGroups: assignment?.candidateGroups ? (value(assignment.candidateGroups, instance.variables) as string[]) : [],
      dueDate: schedule?.dueDate ? (value(schedule.dueDate, instance.variables) as string) : undefined,
      creationDate: new Date().toISOString(),
      formKey: formId ? this.cluster.state.latest('form', formId)?.key : undefined,
    };
    instance.activeElements = [{ elementId, type: 'USER_TASK' }];
    this.cluster.state.userTasks.push(task);
    return task;
  }
}
