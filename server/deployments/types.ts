export type ResourceKind = 'bpmn' | 'dmn' | 'form';

export const RESOURCE_KINDS: readonly ResourceKind[] = ['bpmn', 'dmn', 'form'];

export interface DeployFile {
  name: string;
  content: Buffer;
}

/** One stored version of a process, decision or form. */
export interface DeployedResource {
  key: string;
  kind: ResourceKind;
  id: string;
  version: number;
  name: string | null;
  fileName: string;
  checksum: string;
  content: string;
  deploymentKey: string;
  createdAt: string;
  /** Set when a deployment found the same content as the newest version and returned that version. */
  unchanged?: boolean;
}

/** A reason a file cannot be deployed (an error) or a remark on it (a warning). */
export interface Problem {
  file: string;
  elementId?: string;
  rule?: string;
  message: string;
}

/** What one file would deploy: one resource per executable process, per decision, or the form. */
export interface ResourceCandidate {
  kind: ResourceKind;
  id: string;
  name: string | null;
}

/** What checking one file found. */
export interface FileCheck {
  resources: ResourceCandidate[];
  errors: Problem[];
  warnings: Problem[];
}

export interface FileReport {
  file: string;
  kind?: ResourceKind;
  checksum?: string;
  resources: ResourceCandidate[];
  errors: Problem[];
  warnings: Problem[];
}

export interface CheckReport {
  ok: boolean;
  files: FileReport[];
  /** Every file's errors, and the request's own (no files, a resource id defined twice). */
  errors: Problem[];
  warnings: Problem[];
}

export interface ResourceSummary {
  id: string;
  name: string | null;
  version: number;
  /** Newest first. */
  versions: number[];
  deploymentKey: string;
  deployedAt: string;
}

export type DeployedListener = (resources: DeployedResource[]) => void | Promise<void>;

/**
 * Hands a deployment's new versions to an engine outside the platform (a Camunda 8 cluster) inside the deployment's
 * transaction: what it throws rolls the deployment back and is the deployment's answer.
 */
export type DeploymentDelivery = (resources: DeployedResource[]) => Promise<void>;

export interface DeployOptions {
  source?: 'api' | 'repository';
  /** File name → path inside the processes repository, for files deployed from it. */
  sourcePaths?: Record<string, string>;
}
