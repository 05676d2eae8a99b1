import type { Knex } from 'knex';
import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../clock';
import { conflict, notFound } from '../../errors';
import type { EngineEvent, IncidentView } from '../port';
import type { JobDispatcher } from './job-dispatcher';
import type { InstanceSteps, Trigger } from './instance-steps';
import { loadInstance, recordIncident, type JobRow } from './store';

export interface IncidentsHost {
  knex: Knex;
  clock: Clock;
  audit: AuditLog;
  dispatcher: JobDispatcher;
  steps: InstanceSteps;
  emit(event: EngineEvent): void;
}

/** Technical failures: a job's retries with back-off, the incident when they run out, and an admin's retry. */
export class Incidents {
  constructor(private readonly host: IncidentsHost) {}

  async failJob(job: JobRow, message: string, backoffMs: number, retriesLeft?: number): Promise<void> {
    const { knex, clock, audit, steps, emit } = this.host;
    const instanceKey = String(job.instance_key);
    await steps.lock.run(instanceKey, async () => {
      await steps.live.drop(instanceKey);
      const now = clock.now();
      const retries = Math.max(0, retriesLeft ?? job.retries - 1);
      const reason = message.slice(0, 4000);
      const incident = await knex.transaction(async (trx) => {
        const current = trx('jobs').where({ key: job.key, state: 'activated', activation: job.activation });
        if (retries > 0) {
          await current.update({
            state: 'activatable',
            retries,
            retry_at: new Date(now.getTime() + backoffMs),
            error_message: reason,
            worker: null,
          });
          return undefined;
        }
        if (!(await current.update({ state: 'failed', retries: 0, error_message: reason }))) return undefined;
        const instance = (await loadInstance(trx, instanceKey))!;
        const details = { elementId: job.element_id, errorType: 'JOB_NO_RETRIES', message };
        const incidentKey = await recordIncident(
          trx,
          instance,
          details,
          { kind: 'retry-job', jobKey: String(job.key) },
          String(job.key),
          now,
        );
        await audit.append(
          {
            actor: 'engine',
            action: 'incident.created',
            entityType: 'process-instance',
            entityId: instanceKey,
            data: { incidentKey, ...details, jobType: job.type },
          },
          trx,
        );
        return incidentKey;
      });
      if (incident) emit({ type: 'incident.created', incidentKey: incident, instanceKey, elementId: job.element_id });
    });
  }

  async resolve(key: string, actor: string): Promise<void> {
    const { knex, clock, audit, dispatcher, steps, emit } = this.host;
    const incident = /^\d{1,18}$/.test(key) ? await knex('incidents').where({ key }).first() : undefined;
    if (!incident) throw notFound('incident');
    if (incident.state !== 'open') throw conflict(`incident ${key} is resolved already`);
    const instanceKey = String(incident.instance_key);
    const trigger = incident.trigger as Trigger;
    await steps.lock.run(instanceKey, async () => {
      await steps.live.drop(instanceKey);
      await knex.transaction(async (trx) => {
        const now = clock.now();
        if (!(await trx('incidents').where({ key, state: 'open' }).update({ state: 'resolved', resolved_at: now, resolved_by: actor }))) {
          throw conflict(`incident ${key} is resolved already`);
        }
        const open = await trx('incidents').where({ instance_key: instanceKey, state: 'open' }).count<{ count: string }[]>('key as count');
        if (Number(open[0].count) === 0)
          await trx('process_instances').where({ key: instanceKey, state: 'incident' }).update({ state: 'active' });
        if (trigger.kind === 'retry-job') {
          await trx('jobs')
            .where({ key: trigger.jobKey })
            .update({ state: 'activatable', retries: trx.raw('greatest(retries, 1)'), retry_at: null, worker: null });
        }
        await audit.append(
          { actor, action: 'incident.resolved', entityType: 'process-instance', entityId: instanceKey, data: { incidentKey: key } },
          trx,
        );
      });
    });
    emit({ type: 'incident.resolved', incidentKey: key, instanceKey, elementId: incident.element_id });
    if (trigger.kind === 'retry-job') {
      const job = await knex('jobs').where({ key: trigger.jobKey }).first('key', 'type');
      if (job) await dispatcher.offer([{ key: String(job.key), type: job.type }]);
    } else {
      await steps.step(instanceKey, trigger);
    }
  }

  list(filter: { instanceKey?: string } = {}): Promise<IncidentView[]> {
    const { knex } = this.host;
    const query = knex('incidents as n').where('n.state', 'open');
    if (filter.instanceKey) query.andWhere('n.instance_key', filter.instanceKey);
    return query
      .leftJoin('jobs as j', 'j.key', 'n.job_key')
      .join('process_instances as i', 'i.key', 'n.instance_key')
      .orderBy('n.key')
      .select('n.*', 'j.type as job_type', 'j.retries as job_retries', knex.raw(`i.variables->>'applicationId' as application_id`))
      .then((rows: any[]) =>
        rows.map((r) => ({
          key: String(r.key),
          instanceKey: String(r.instance_key),
          jobKey: r.job_key ? String(r.job_key) : null,
          elementId: r.element_id,
          errorType: r.error_type,
          errorMessage: r.error_message,
          createdAt: new Date(r.created_at).toISOString(),
          jobType: r.job_type ?? null,
          retries: r.job_retries ?? null,
          applicationId: r.application_id ?? null,
        })),
      );
  }
}
