import path from 'node:path';
import { AuditLog } from './audit/audit-log';
import { PlatformKey } from './audit/platform-key';
import { createAuth, type Auth } from './auth/auth';
import { seedDemoUsers } from './auth/demo-users';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { openDatabase, type Database } from './db';
import { Deployments } from './deployments/deployments';
import { approvalsLintRules } from './deployments/rules';
import { EmbeddedEngine } from './engine/embedded/embedded-engine';
import type { EnginePort } from './engine/port';
import { createLogger, type Logger } from './log';
import { Metrics } from './metrics';
import { registerEngineGauges } from './engine/engine-gauges';
import { loadMatters, type MatterCatalog } from './matters/catalog';
import { platformEligibility, registryExemptions } from './matters/platform-sources';
import type { EligibilitySources, ExemptionSources } from './matters/sources';
import { createRegistries, type Registries } from './registries';
import { seedRegistries } from './registries/seed';
import { migrate } from './migrate';
import { FileStorage, type Storage } from './storage';
import { registerWorkers } from './workers';

/** Everything a route or a worker may call, built once at start. */
export interface Platform {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  storage: Storage;
  platformKey: PlatformKey;
  audit: AuditLog;
  auth: Auth;
  deployments: Deployments;
  engine: EnginePort;
  /** Shared government data: persons, enterprises, the e-licence library. */
  registries: Registries;
  /** The matters of processes/ and the working-day calendar of processes/common/holidays.json. */
  matters: MatterCatalog;
  exemptions: ExemptionSources;
  eligibility: EligibilitySources;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  log?: Logger;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? createLogger();
  const clock = options.clock ?? systemClock;
  // A broken matter file refuses start before the database opens.
  const matters = loadMatters(config.processesDir);
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db.knex);
    if (applied.length) log.info('migrations applied', { migrations: applied });
    const metrics = new Metrics();
    const storage = new FileStorage(path.join(config.dataDir, 'files'), config.uploadLimitBytes);
    const platformKey = PlatformKey.load(path.join(config.dataDir, 'keys'));
    const audit = new AuditLog({ knex: db.knex, clock, platformKey, anchorEvery: config.auditAnchorEvery, log });
    const auth = await createAuth({ knex: db.knex, config, clock, audit, log });
    if (config.seedDemo) {
      await seedDemoUsers(db.knex, auth);
      const seeded = await seedRegistries(db.knex, { today: clock.now() });
      if (seeded.seeded)
        log.info('sample registries seeded', {
          persons: seeded.persons,
          enterprises: seeded.enterprises,
          licenses: seeded.licenses,
          ms: seeded.ms,
        });
    }
    const registries = createRegistries(db.knex, process.env);
    const exemptions = registryExemptions(registries, clock);
    const eligibility = platformEligibility(registries, db.knex);
    const deployments = new Deployments({ knex: db.knex, audit, log, extraRules: approvalsLintRules() });
    const engine = new EmbeddedEngine({ knex: db.knex, databaseKind: db.kind, clock, log, audit });
    deployments.onDeployed((resources) => engine.deploy(resources));
    const summary = await deployments.deployRepository(config.processesDir);
    if (summary.deployed.length) log.info('repository processes deployed', { resources: summary.deployed });
    registerWorkers({ engine, db, audit, clock, matters });
    await engine.start();
    registerEngineGauges(metrics, db.knex);
    return {
      config,
      db,
      clock,
      log,
      metrics,
      storage,
      platformKey,
      audit,
      auth,
      deployments,
      engine,
      registries,
      matters,
      exemptions,
      eligibility,
      async close() {
        await engine.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
