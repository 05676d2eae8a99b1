import { parentPort } from 'node:worker_threads';
import type { SerializableContext } from 'moddle-context-serializer';
import { DecisionSet } from '../dmn/decisions';
import { compileBpmn } from './compiler';
import { InstanceSession, type RunnerContext } from './instance-runner';
import type { Reply, Request } from './session-threads';

/**
 * An engine thread: runs instances' bpmn-engine sessions for the main thread, which keeps the database, the locks
 * and the workers. Requests are handled one at a time, in the order they came.
 */
const port = parentPort!;
const sources = new Map<string, string>();
const compiled = new Map<string, Promise<SerializableContext>>();
const decisions = new Map<string, { version: number; set: DecisionSet }>();
const sessions = new Map<number, InstanceSession>();
let now = new Date();

const context: RunnerContext = {
  now: () => now,
  evaluateDecision: (decisionId, variables) => {
    const deployed = decisions.get(decisionId);
    if (!deployed) throw new Error(`no deployed decision ${decisionId}`);
    return deployed.set.evaluate(decisionId, variables);
  },
};

function definition(resourceKey: string): Promise<SerializableContext> {
  let found = compiled.get(resourceKey);
  if (!found) {
    const xml = sources.get(resourceKey);
    if (xml === undefined) throw new Error(`engine thread has no process version ${resourceKey}`);
    found = compileBpmn(xml);
    compiled.set(resourceKey, found);
  }
  return found;
}

function session(id: number): InstanceSession {
  const found = sessions.get(id);
  if (!found) throw new Error(`engine thread has no session ${id}`);
  return found;
}

async function handle(request: Request): Promise<unknown> {
  if ('now' in request && request.now) now = new Date(request.now);
  switch (request.op) {
    case 'definition':
      sources.set(request.resourceKey, request.xml);
      return undefined;
    case 'decisions':
      for (const source of request.sources) {
        const current = decisions.get(source.id);
        if (!current || current.version <= source.version)
          decisions.set(source.id, { version: source.version, set: await DecisionSet.parse(source.content) });
      }
      return undefined;
    case 'open':
      sessions.set(
        request.session,
        await InstanceSession.open(request.name, await definition(request.resourceKey), request.storedState, context),
      );
      return undefined;
    case 'apply':
      return session(request.session).apply(request.action);
    case 'close': {
      const found = sessions.get(request.session);
      sessions.delete(request.session);
      await found?.close();
      return undefined;
    }
  }
}

let queue = Promise.resolve();
port.on('message', (request: Request) => {
  queue = queue.then(async () => {
    let reply: Reply;
    try {
      reply = { id: request.id, ok: true, result: await handle(request) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: (error as Error)?.message ?? String(error) };
    }
    if (request.id) port.postMessage(reply);
  });
});
