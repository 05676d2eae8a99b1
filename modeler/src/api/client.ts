import type { ApiErrorBody, Deployment, ProcessInstance, ResourceSummary, User } from './types';

/** An API refusal: the status, the platform's error code and message, and its details (e.g. lint problems). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface DeployFile {
  name: string;
  content: string;
  type: string;
}

/** The platform's REST API, relative to the page so the apps work under any path prefix. */
export class Api {
  private token: string | undefined;
  private onUnauthorized: () => void = () => {};

  constructor(private readonly base = new URL('../api/v1/', document.baseURI).href) {}

  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** Called when a call answers 401: the token expired or was revoked. */
  whenUnauthorized(listener: () => void): void {
    this.onUnauthorized = listener;
  }

  async login(username: string, password: string): Promise<{ token: string; user: User }> {
    return this.call('POST', 'auth/login', { json: { username, password }, anonymous: true });
  }

  me(): Promise<User> {
    return this.call('GET', 'auth/me');
  }

  processes(): Promise<ResourceSummary[]> {
    return this.call('GET', 'processes');
  }

  decisions(): Promise<ResourceSummary[]> {
    return this.call('GET', 'decisions');
  }

  forms(): Promise<ResourceSummary[]> {
    return this.call('GET', 'forms');
  }

  processXml(id: string, version?: number): Promise<string> {
    const query = version === undefined ? '' : `?version=${version}`;
    return this.call('GET', `processes/${encodeURIComponent(id)}/xml${query}`, { text: true });
  }

  /** The review table (DMN) that holds decision `id`, exactly as deployed: the latest version unless one is asked for. */
  decisionXml(id: string, version?: number): Promise<string> {
    const query = version === undefined ? '' : `?version=${version}`;
    return this.call('GET', `decisions/${encodeURIComponent(id)}/xml${query}`, { text: true });
  }

  /** Form `id`'s schema text, exactly as deployed: the latest version unless one is asked for. */
  formJson(id: string, version?: number): Promise<string> {
    const query = version === undefined ? '' : `?version=${version}`;
    return this.call('GET', `forms/${encodeURIComponent(id)}/json${query}`, { text: true });
  }

  deploy(files: DeployFile[]): Promise<Deployment> {
    const body = new FormData();
    for (const file of files) body.append('resources', new Blob([file.content], { type: file.type }), file.name);
    return this.call('POST', 'deployments', { body });
  }

  startInstance(
    bpmnProcessId: string,
    version: number | undefined,
    variables: Record<string, unknown>,
  ): Promise<{ key: string; version: number }> {
    return this.call('POST', 'process-instances', { json: { bpmnProcessId, ...(version ? { version } : {}), variables } });
  }

  instance(key: string): Promise<ProcessInstance> {
    return this.call('GET', `process-instances/${encodeURIComponent(key)}`);
  }

  cancelInstance(key: string): Promise<void> {
    return this.call('POST', `process-instances/${encodeURIComponent(key)}/cancellation`, { text: true });
  }

  /** Publishes a message by name and correlation key; a designer's reaches only sandbox instances. */
  publishMessage(message: {
    name: string;
    correlationKey: string;
    variables?: Record<string, unknown>;
  }): Promise<{ key?: string; correlatedInstanceKeys?: string[]; buffered?: boolean }> {
    return this.call('POST', 'messages', { json: message });
  }

  /** A file of the API (a material's upload) as a blob, fetched with the bearer token so it can be shown by a blob URL. */
  blob(path: string): Promise<Blob> {
    return this.call('GET', path, { blob: true });
  }

  protected async call<T>(
    method: string,
    path: string,
    options: {
      json?: unknown;
      body?: BodyInit;
      text?: boolean;
      blob?: boolean;
      anonymous?: boolean;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const response = await this.send(method, path, options);
    if (options.text) return (await response.text()) as T;
    if (options.blob) return (await response.blob()) as T;
    return (await response.json()) as T;
  }

  /** A JSON answer with the headers that came with it (a page of a list: `X-Total-Count`, `X-Next-Cursor`). */
  protected async callWithHeaders<T>(method: string, path: string): Promise<{ body: T; headers: Headers }> {
    const response = await this.send(method, path);
    return { body: (await response.json()) as T, headers: response.headers };
  }

  private async send(
    method: string,
    path: string,
    options: { json?: unknown; body?: BodyInit; anonymous?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token && !options.anonymous) headers.authorization = `Bearer ${this.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers, body });
    } catch {
      throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
    }
    if (response.status === 401 && !options.anonymous) this.onUnauthorized();
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as ApiErrorBody;
    return new ApiError(response.status, error.code, error.message, error.details);
  } catch {
    return new ApiError(response.status, 'HTTP_' + response.status, text.slice(0, 200) || response.statusText);
  }
}
