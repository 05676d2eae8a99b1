import { recordStatus } from './applications/status-record';
import type { Platform } from './platform';
import { deadlineWorker } from '../workers/deadline';
import { statusWorker } from '../workers/status';

/** Every worker of `workers/`, registered on the platform's engine with what it needs. */
export function registerWorkers(platform: Pick<Platform, 'engine' | 'db' | 'audit' | 'clock' | 'matters'>): void {
  const { engine, db, audit, clock, matters } = platform;
  engine.registerWorker(deadlineWorker({ matters, clock }));
  engine.registerWorker(statusWorker((change) => recordStatus(db.knex, audit, clock, change)));
}
