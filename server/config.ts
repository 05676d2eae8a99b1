import os from 'node:os';
import path from 'node:path';
import { SERVED_JOB_TYPES } from './deployments/rules/job-types';

/** Every setting of the platform, read from the environment in one place (README lists them). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  nodeEnv: string;
  production: boolean;
  jwtSecret?: string;
  jwksUrl?: string;
  jwtIssuer: string;
  tokenTtlSeconds: number;
  processesDir: string;
  uploadLimitBytes: number;
  bodyLimitBytes: number;
  auditAnchorEvery: number;
  seedDemo: boolean;
  /** Job types this process does not serve: another process's workers do (e.g. OCR on its own machines). */
  disabledWorkers: string[];
  /** Where the QR code on a licence leads: the platform's public address. */
  publicUrl: string;
  /** A JSON file naming each department's PKCS#12 signing key; development certificates otherwise. */
  signingKeysFile?: string;
  /** Where the development CA and department certificates are kept (made on first start). */
  signingCaDir: string;
  /** Tesseract workers reading uploads at once (each about 100 MB); the cores by default. */
  ocrWorkers: number;
  /** Time limit of reading one upload once a worker takes it; a reading past it fails and is tried again later. */
  ocrTimeoutMs: number;
  /** SMS notices through an SMTP relay to an e-mail-to-SMS gateway; the log when unset. */
  smtp?: { url: string; from: string; recipientPattern: string };
  /** The process engine: bpmn-engine in this process, or a Camunda 8 cluster (docs/zeebe.md). */
  engine: 'embedded' | 'zeebe';
  /** At most this many threads run the embedded engine's bpmn-engine work under load (the main thread keeps the database and workers); 0: none. */
  engineThreads: number;
  /** Engine threads start once this many instances are moving at once (0: always); fewer run in the main thread. */
  engineThreadsFrom: number;
  /** Settings for `@camunda8/sdk` over its own environment variables (`ZEEBE_GRPC_ADDRESS`, ...): tests name their fake cluster here. */
  zeebe?: Record<string, string | number | boolean>;
  /** The optional AI reviewer (`ai-review` jobs): an OpenAI-compatible chat-completions API; off when unset. */
  aiReview?: { url: string; model: string; apiKey?: string; timeoutMs: number };
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = env.NODE_ENV || 'development';
  const production = nodeEnv === 'production';
  const config: Config = {
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    nodeEnv,
    production,
    jwtSecret: env.JWT_SECRET || undefined,
    jwksUrl: env.JWKS_URL || undefined,
    jwtIssuer: env.JWT_ISSUER || 'approvals-platform',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 8 * 3600),
    processesDir: path.resolve(env.PROCESSES_DIR || './processes'),
    uploadLimitBytes: integer(env, 'UPLOAD_LIMIT_BYTES', 10 * 1024 * 1024),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    auditAnchorEvery: integer(env, 'AUDIT_ANCHOR_EVERY', 1000),
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO !== 'false' : !production,
    disabledWorkers: (env.DISABLED_WORKERS ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    publicUrl: env.PUBLIC_URL || `http://localhost:${integer(env, 'PORT', 3000)}`,
    signingKeysFile: env.SIGNING_KEYS || undefined,
    smtp: env.SMTP_URL
      ? {
          url: env.SMTP_URL,
          from: env.SMTP_FROM || 'noreply@approvals.local',
          recipientPattern: env.SMTP_SMS_RECIPIENT || '{phone}@sms.local',
        }
      : undefined,
    ocrWorkers: integer(env, 'OCR_WORKERS', Math.max(1, Math.min(4, os.availableParallelism()))),
    ocrTimeoutMs: integer(env, 'OCR_TIMEOUT_MS', 20_000),
    signingCaDir: path.resolve(env.SIGNING_CA_DIR || path.join(env.DATA_DIR || './data', 'ca')),
    engine: (env.ENGINE || 'embedded') as Config['engine'],
    engineThreadsFrom: integer(env, 'ENGINE_THREADS_FROM', 4),
    engineThreads: integer(env, 'ENGINE_THREADS', os.availableParallelism() > 1 ? Math.min(4, os.availableParallelism()) : 0),
    aiReview: env.AI_REVIEW_URL
      ? {
          url: env.AI_REVIEW_URL,
          model: env.AI_REVIEW_MODEL ?? '',
          apiKey: env.AI_REVIEW_API_KEY || undefined,
          timeoutMs: integer(env, 'AI_REVIEW_TIMEOUT_MS', 20_000),
        }
      : undefined,
    ...overrides,
  };
  if (config.engine !== 'embedded' && config.engine !== 'zeebe')
    throw new ConfigError(`ENGINE must be "embedded" or "zeebe", got "${config.engine}"`);
  if (config.engine === 'zeebe') {
    const setting = (name: string) => config.zeebe?.[name] ?? env[name];
    if (!setting('ZEEBE_GRPC_ADDRESS') && !setting('ZEEBE_ADDRESS'))
      throw new ConfigError(
        'ENGINE=zeebe needs ZEEBE_GRPC_ADDRESS, the gateway of the Camunda 8 cluster (e.g. grpc://zeebe:26500); see docs/zeebe.md',
      );
    if (!setting('ZEEBE_REST_ADDRESS'))
      throw new ConfigError(
        'ENGINE=zeebe needs ZEEBE_REST_ADDRESS, the Orchestration Cluster REST API the worklist reads (e.g. http://zeebe:8080); see docs/zeebe.md',
      );
  }
  if (config.production && !config.jwtSecret && !config.jwksUrl) {
    throw new ConfigError('NODE_ENV=production needs JWT_SECRET (HS256 tokens) or JWKS_URL (an identity provider).');
  }
  if (config.smtp && !config.smtp.recipientPattern.includes('{phone}'))
    throw new ConfigError(`SMTP_SMS_RECIPIENT must contain {phone}, got "${config.smtp.recipientPattern}"`);
  const unknown = config.disabledWorkers.filter((t) => !SERVED_JOB_TYPES.includes(t));
  if (unknown.length)
    throw new ConfigError(
      `DISABLED_WORKERS names job types no worker serves: ${unknown.join(', ')} (known: ${SERVED_JOB_TYPES.join(', ')})`,
    );
  if (config.aiReview) {
    if (!/^https?:\/\/[^/]/.test(config.aiReview.url))
      throw new ConfigError(`AI_REVIEW_URL must be an http(s) address of an OpenAI-compatible API, got "${config.aiReview.url}"`);
    if (!config.aiReview.model)
      throw new ConfigError('AI_REVIEW_URL needs AI_REVIEW_MODEL, the model to ask (e.g. deepseek-chat, qwen-plus)');
    if (config.aiReview.timeoutMs < 1) throw new ConfigError('AI_REVIEW_TIMEOUT_MS must be at least 1');
  }
  if (config.jwtSecret && config.jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters.');
  }
  return config;
}
