import type { Knex } from 'knex';
import type { Variables } from '../../../workers/worker';
import type { IncidentView, InstanceView } from '../port';
import type { ZeebeDefinitions } from './definitions';
import { parseVariable, type OrchestrationApi } from './rest';

interface CamundaInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident?: boolean;
  startDate: string;
  endDate?: string;
  parentProcessInstanceKey?: string;
}

interface CamundaIncident {
  incidentKey: string;
  processInstanceKey: string;
  jobKey?: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  creationTime: string;
}

interface CamundaVariable {
  variableKey: string;
  name: string;
  value: string;
  isTruncated?: boolean;
  scopeKey: string;
  processInstanceKey: string;
}

const PAGE = { from: 0, limit: 1000 };

/**
 * Instances and incidents as the platform shows them, read from the cluster's secondary storage through the REST API.
 * Those reads trail the broker by the exporter's lag (about a second): an instance the platform has just started may
 * not be there yet.
 */
export class ZeebeInstances {
  constructor(
    private readonly api: OrchestrationApi,
    private readonly definitions: ZeebeDefinitions,
    private readonly knex: Knex,
  ) {}

  async get(key: string): Promise<InstanceView | undefined> {
    if (!/^\d{1,19}$/.test(key)) return undefined;
    let instance: CamundaInstance;
    try {
      instance = await this.api.json<CamundaInstance>('GET', `process-instances/${key}`, undefined, 'process instance');
    } catch (error) {
      if ((error as { status?: number }).status === 404) return this.notYetExported(key);
      throw error;
    }
    const [variables, elements, incidents] = await Promise.all([
      this.variables(key),
      this.api.search<{ elementId: string; type: string }>('element-instances', {
        filter: { processInstanceKey: key, state: 'ACTIVE' },
        page: PAGE,
      }),
      this.incidents({ processInstanceKey: key, state: 'ACTIVE' }),
    ]);
    return {
      key,
      bpmnProcessId: instance.processDefinitionId,
      version: await this.definitions.platformVersion(instance.processDefinitionId, instance.processDefinitionVersion),
      state:
        instance.state === 'COMPLETED'
          ? 'completed'
          : instance.state === 'TERMINATED'
            ? 'terminated'
            : instance.hasIncident
              ? 'incident'
              : 'active',
      activeElements: elements.items.filter((e) => e.type !== 'PROCESS').map((e) => e.elementId),
      variables,
      incidents,
      sandbox: variables.sandbox === true,
      parentKey: instance.parentProcessInstanceKey ?? null,
      startedAt: new Date(instance.startDate).toISOString(),
      endedAt: instance.endDate ? new Date(instance.endDate).toISOString() : null,
    };
  }

  /**
   * The root, non-sandbox instance of the process that carries this applicationId in its root scope, if the cluster's
   * secondary storage knows one: the variable first (Zeebe indexes variables by value), then the instances it names.
   */
  async ofApplication(bpmnProcessId: string, applicationId: string): Promise<string | undefined> {
    const carrying = await this.api.search<CamundaVariable>('variables', {
      filter: { name: 'applicationId', value: JSON.stringify(applicationId) },
      page: PAGE,
    });
    const keys = [...new Set(carrying.items.filter((v) => v.scopeKey === v.processInstanceKey).map((v) => v.processInstanceKey))];
    if (!keys.length) return undefined;
    const roots = (
      await this.api.search<CamundaInstance>('process-instances', {
        filter: { processInstanceKey: { $in: keys }, processDefinitionId: bpmnProcessId },
        sort: [{ field: 'startDate', order: 'ASC' }],
        page: PAGE,
      })
    ).items.filter((i) => !i.parentProcessInstanceKey);
    if (!roots.length) return undefined;
    const sandboxes = await this.api.search<CamundaVariable>('variables', {
      filter: { processInstanceKey: { $in: roots.map((i) => i.processInstanceKey) }, name: 'sandbox' },
      page: PAGE,
    });
    const tryIts = new Set(
      sandboxes.items
        .filter((v) => v.scopeKey === v.processInstanceKey && parseVariable(v.value) === true)
        .map((v) => v.processInstanceKey),
    );
    return roots.find((i) => !tryIts.has(i.processInstanceKey))?.processInstanceKey;
  }

  /** The open incidents, each with the application of its instance. */
  list(): Promise<IncidentView[]> {
    return this.incidents({ state: 'ACTIVE' });
  }

  /** The job behind a job incident, to give it a retry before resolving. */
  async incident(key: string): Promise<CamundaIncident> {
    return this.api.json<CamundaIncident>('GET', `incidents/${key}`, undefined, 'incident');
  }

  private async incidents(filter: Record<string, unknown>): Promise<IncidentView[]> {
    const { items } = await this.api.search<CamundaIncident>('incidents', {
      filter,
      sort: [{ field: 'creationTime', order: 'ASC' }],
      page: PAGE,
    });
    const applications = await this.applicationIds([...new Set(items.map((i) => i.processInstanceKey))]);
    return items.map((i) => ({
      key: i.incidentKey,
      instanceKey: i.processInstanceKey,
      jobKey: i.jobKey ?? null,
      elementId: i.elementId,
      errorType: i.errorType,
      errorMessage: i.errorMessage,
      createdAt: new Date(i.creationTime).toISOString(),
      jobType: null,
      retries: null,
      applicationId: applications.get(i.processInstanceKey) ?? null,
    }));
  }

  private async applicationIds(instanceKeys: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (!instanceKeys.length) return ids;
    const { items } = await this.api.search<CamundaVariable>('variables', {
      filter: { processInstanceKey: { $in: instanceKeys }, name: 'applicationId' },
      page: PAGE,
    });
    for (const v of items) if (v.scopeKey === v.processInstanceKey) ids.set(v.processInstanceKey, String(parseVariable(v.value)));
    return ids;
  }

  /** The root scope's variables; a value too long for the search answer is fetched whole. */
  private async variables(key: string): Promise<Variables> {
    const { items } = await this.api.search<CamundaVariable>('variables', {
      filter: { processInstanceKey: key, scopeKey: key },
      page: PAGE,
    });
    const variables: Variables = {};
    for (const v of items) {
      const value = v.isTruncated
        ? (await this.api.json<CamundaVariable>('GET', `variables/${v.variableKey}`, undefined, 'variable')).value
        : v.value;
      variables[v.name] = parseVariable(value);
    }
    return variables;
  }

  /**
   * An instance the secondary storage does not know yet but the platform started for an application: still active for
   * the broker (a withdrawal right after submission must cancel it, not find nothing). Its version is not known yet (0).
   */
  private async notYetExported(key: string): Promise<InstanceView | undefined> {
    const application = await this.knex('applications')
      .where({ process_instance_key: key })
      .first('id', 'matter_slug', 'action', 'sandbox', 'submitted_at');
    if (!application) return undefined;
    return {
      key,
      bpmnProcessId: `${application.matter_slug}-${application.action}`,
      version: 0,
      state: 'active',
      activeElements: [],
      variables: { applicationId: application.id },
      incidents: [],
      sandbox: Boolean(application.sandbox),
      parentKey: null,
      startedAt: new Date(application.submitted_at).toISOString(),
      endedAt: null,
    };
  }
}
