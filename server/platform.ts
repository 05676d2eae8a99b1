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
import { ReviewTables } from './review/review-table';
import { loadSigningKeys } from './issuing/signing-keys';
import type { KeyStore } from '../workers/esign/index';
import { OcrPool } from '../workers/ocr/index';
import { MaterialReader } from './applications/material-reading';
import { archiveCase, archiveMissedWithdrawals } from './archiving/archive-case';
import type { ArchiveCase } from '../workers/archive';
import { LogChannel, SmtpChannel } from './notifications/channels';
import { NoticeDispatcher } from './notifications/dispatcher';
import { startUnstartedSubmissions } from './applications/submission';

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
  /** The latest deployed review table of each matter, parsed once per version. */
  reviewTables: ReviewTables;
  /** The departments' signing keys. */
  keyStore: KeyStore;
  /** Reads uploaded materials with OCR through one bounded pool. */
  reader: MaterialReader;
  /** Sends the outbox's SMS notices through the configured channel. */
  notices: NoticeDispatcher;
  /** Archives a closed case, once. */
  archive: ArchiveCase;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  log?: Logger;
  /** Files somewhere other than `<DATA_DIR>/files` (tests inject a full disk). */
  storage?: Storage;
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
    const storage = options.storage ?? new FileStorage(path.join(config.dataDir, 'files'), config.uploadLimitBytes);
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
    // The Camunda SDK takes about a second to load: only where it runs.
    const engine: EnginePort =
      config.engine === 'zeebe'
        ? new (await import('./engine/zeebe/zeebe-engine')).ZeebeEngine({ knex: db.knex, log, audit, settings: config.zeebe })
        : new EmbeddedEngine({
            knex: db.knex,
            databaseKind: db.kind,
            clock,
            log,
            audit,
            threads: config.engineThreads,
            threadsFrom: config.engineThreadsFrom,
          });
    if (engine.deployment === 'before-commit') deployments.deliverTo((resources) => engine.deploy(resources));
    else deployments.onDeployed((resources) => engine.deploy(resources));
    const summary = await deployments.deployRepository(config.processesDir);
    if (summary.deployed.length) log.info('repository processes deployed', { resources: summary.deployed });
    const reviewTables = new ReviewTables(db.knex);
    const pool = new OcrPool({ size: config.ocrWorkers });
    const reader = new MaterialReader({ knex: db.knex, storage, matters, log, pool, readTimeoutMs: config.ocrTimeoutMs });
    const keyStore = await loadSigningKeys({ caDir: config.signingCaDir, signingKeysFile: config.signingKeysFile, matters });
    const archiveDeps = { knex: db.knex, audit, clock, matters, storage, platformKey, keyStore };
    const archive = (applicationId: string) => archiveCase(archiveDeps, applicationId);
    const applicationDeps = {
      knex: db.knex,
      audit,
      clock,
      log,
      matters,
      registries,
      exemptions,
      eligibility,
      engine,
      storage,
      reviewTables,
      reader,
      archive,
    };
    registerWorkers(applicationDeps, { keyStore, publicUrl: config.publicUrl }, config.disabledWorkers, config.aiReview);
    await engine.start();
    const resumed = await startUnstartedSubmissions(applicationDeps);
    if (resumed) log.info('submitted applications started after a stop', { applications: resumed });
    const swept = await archiveMissedWithdrawals(archiveDeps, log);
    if (swept) log.info('withdrawn cases archived after a stop', { applications: swept });
    reader.start();
    const channel = config.smtp ? new SmtpChannel(config.smtp) : new LogChannel(log);
    const notices = new NoticeDispatcher({ knex: db.knex, clock, log, channel });
    notices.start();
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
      reviewTables,
      keyStore,
      reader,
      notices,
      archive,
      async close() {
        await notices.stop();
        await reader.stop();
        await engine.stop();
        await pool.close();
        await audit.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
