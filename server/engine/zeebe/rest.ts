import type { CamundaRestClient } from '@camunda8/sdk';
import { AppError, conflict } from '../../errors';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A page of a `/v2/.../search` answer. */
export interface SearchResult<T> {
  items: T[];
  page?: { totalItems?: number; endCursor?: string | null };
}

/** The cluster's answer as our error: its 404 and 409 are the caller's, anything else the cluster's trouble (502). */
function asAppError(error: unknown, what: string): unknown {
  const failure = error as { response?: { statusCode?: number }; statusCode?: number; detail?: string; title?: string; message?: string };
  const status = failure?.response?.statusCode ?? failure?.statusCode;
  if (!status) return error;
  const detail = failure.detail || failure.title || failure.message || '';
  if (status === 404) return new AppError(404, 'NOT_FOUND', `${what} not found (Camunda: ${detail})`);
  if (status === 409) return conflict(`${what}: ${detail}`);
  if (status === 400) return new AppError(400, 'INVALID_REQUEST', `${what}: ${detail}`);
  return new AppError(502, 'ENGINE_UNAVAILABLE', `Camunda answered ${status} for ${what}: ${detail}`);
}

/**
 * The Orchestration Cluster REST API (`/v2`) through the SDK's client, which carries the configured authentication
 * (`CAMUNDA_AUTH_STRATEGY`) and retries the cluster's back-pressure answers.
 */
export class OrchestrationApi {
  constructor(private readonly client: CamundaRestClient) {}

  async json<T>(method: Method, path: string, body: object | undefined, what: string): Promise<T> {
    try {
      return (await this.client.callApiEndpoint({ method, urlPath: path, body })) as T;
    } catch (error) {
      throw asAppError(error, what);
    }
  }

  /** A call answered with 204 and no body. */
  async send(method: Method, path: string, body: object | undefined, what: string): Promise<void> {
    try {
      await this.client.callApiEndpoint({ method, urlPath: path, body, json: false });
    } catch (error) {
      throw asAppError(error, what);
    }
  }

  search<T>(resource: string, body: object): Promise<SearchResult<T>> {
    return this.json<SearchResult<T>>('POST', `${resource}/search`, body, resource);
  }
}

/** A `/v2` variable value is JSON text; a value too long for the search answer is marked truncated. */
export function parseVariable(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
