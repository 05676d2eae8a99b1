/** The shapes of the API answers the modeler reads (openapi.yaml). */
export interface User {
  id: string;
  username: string;
  name: string;
  roles: string[];
  department: string | null;
}

export interface ResourceSummary {
  id: string;
  name: string | null;
  version: number;
  versions: number[];
  deploymentKey: string;
  deployedAt: string;
}

export interface Problem {
  file: string;
  elementId?: string;
  rule?: string;
  message: string;
}

export interface Deployment {
  key: string;
  resources: { id: string; kind: 'bpmn' | 'dmn' | 'form'; version: number; name?: string | null; fileName: string; unchanged?: boolean }[];
  warnings?: Problem[];
}

export interface Incident {
  key: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
}

export interface ProcessInstance {
  key: string;
  bpmnProcessId: string;
  version: number;
  state: 'active' | 'completed' | 'terminated' | 'incident';
  activeElements: string[];
  variables: Record<string, unknown>;
  incidents: Incident[];
  sandbox?: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
