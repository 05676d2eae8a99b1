import type { EmbeddedEngine } from '../../server/engine/embedded/embedded-engine';
import type { Platform } from '../../server/platform';

/** A Camunda 8 process definition around the given flow elements. */
export function bpmn(processId: string, body: string, definitionsExtra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs_${processId}" targetNamespace="http://approvals"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  ${definitionsExtra}
  <bpmn:process id="${processId}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
}

let counter = 0;

/** Stores a definition as a deployed version and hands it to the engine, without the deployment lint (tested on its own). */
export async function deployRaw(platform: Platform, kind: 'bpmn' | 'dmn', id: string, content: string): Promise<number> {
  const knex = platform.db.knex;
  const [deployment] = await knex('deployments').insert({ deployed_by: 'test', source: 'api' }).returning('key');
  const last = await knex('resources').where({ kind, resource_id: id }).max('version as v').first();
  const version = Number(last?.v ?? 0) + 1;
  const [row] = await knex('resources')
    .insert({
      deployment_key: deployment.key,
      kind,
      resource_id: id,
      version,
      file_name: `${id}-${++counter}.${kind}`,
      checksum: String(counter).padStart(64, '0'),
      content,
    })
    .returning('key');
  await platform.engine.deploy([{ key: String(row.key), kind, id, version, content }]);
  return version;
}

export const embedded = (platform: Platform) => platform.engine as EmbeddedEngine;

/** Polls until the check passes (the engine works in the background); fails with the last value after `ms`. */
export async function eventually<T>(check: () => Promise<T>, ok: (value: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  let value = await check();
  while (!ok(value)) {
    if (Date.now() > until) throw new Error(`not reached in ${ms} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await check();
  }
  return value;
}
