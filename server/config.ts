import path from 'node:path';

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
    ...overrides,
  };
  if (config.production && !config.jwtSecret && !config.jwksUrl) {
    throw new ConfigError('NODE_ENV=production needs JWT_SECRET (HS256 tokens) or JWKS_URL (an identity provider).');
  }
  if (config.jwtSecret && config.jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters.');
  }
  return config;
}
