import { recordStatus } from './applications/status-record';
import type { Platform } from './platform';
import { statusWorker } from '../workers/status';

/** Every worker of `workers/`, registered on the platform's engine with what it needs. */
export function registerWorkers(platform: Pick<Platform, 'engine' | 'db' | 'audit' | 'clock'>): void {
  const { engine, db, audit, clock } = platform;
  engine.registerWorker(statusWorker((change) => recordStatus(db.knex, audit, clock, change)));
}
