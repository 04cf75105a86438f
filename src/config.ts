/**
 * Stratus's configuration: CLI flags and environment, validated once at start-up; code past this
 * point trusts it.
 */
import { isIP } from 'node:net';
import type { SandboxRequest } from './functions/sandbox.js';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface StratusConfig {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://…` to use PostgreSQL; SQLite in `dataDir` otherwise. */
  storeUrl: string | undefined;
  /** `full` fsyncs every SQLite commit; `normal` (default) survives a process crash, not a power cut. */
  durability: 'normal' | 'full';
  logLevel: LogLevel;
  accountId: string;
  region: string;
  /** Only configured keys with a valid signature get in. Forced on for non-loopback binds. */
  requireAuth: boolean;
  credentials: Credential[];
  /** Largest request body the edge reads, in bytes. */
  maxRequestBytes: number;
  /** Lambda's account concurrency limit per region (Lambda's default quota: 1000). */
  lambdaConcurrency: number;
  /** How long an idle function environment stays warm before it is stopped, in seconds. */
  functionIdleSeconds: number;
  /** `smtp://user:pass@host:port` (or `smtps://`): SES also delivers every message there. */
  smtpRelay: string | undefined;
  /** How functions are isolated: bubblewrap where it works (`auto`), required, or not at all. */
  sandbox: SandboxRequest;
  /**
   * Where Cognito user pools' keys are fetched (`{url}/{poolId}/.well-known/jwks.json`) for API
   * Gateway's Cognito authorizers, in place of `https://cognito-idp.{region}.amazonaws.com`.
   */
  cognitoUrl: string | undefined;
}

export const defaultAccountId = '000000000000';

export const defaultConfig: StratusConfig = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: '.stratus',
  storeUrl: undefined,
  durability: 'normal',
  logLevel: 'info',
  accountId: defaultAccountId,
  region: 'us-east-1',
  requireAuth: false,
  credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', accountId: defaultAccountId }],
  // Lambda's CreateFunction takes up to 70167211 bytes (a 50 MB zip, base64-encoded, in JSON).
  maxRequestBytes: 72 * 1024 * 1024,
  lambdaConcurrency: 1000,
  functionIdleSeconds: 600,
  smtpRelay: undefined,
  sandbox: 'auto',
  cognitoUrl: undefined,
};

export class ConfigError extends Error {}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * `STRATUS_CREDENTIALS="AKID:SECRET[:ACCOUNT],…"`: the keys Stratus knows. A key without an account
 * belongs to the default account.
 */
export function parseCredentials(text: string, accountId: string): Credential[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [accessKeyId, secretAccessKey, account] = entry.split(':');
      if (!accessKeyId || !secretAccessKey) {
        throw new ConfigError(`credential '${entry}' must be ACCESS_KEY_ID:SECRET_ACCESS_KEY[:ACCOUNT_ID]`);
      }
      if (account !== undefined && !/^\d{12}$/.test(account)) {
        throw new ConfigError(`account id '${account}' must be 12 digits`);
      }
      return { accessKeyId, secretAccessKey, accountId: account ?? accountId };
    });
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function isSmtpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Completes and checks a partial configuration. */
export function resolveConfig(overrides: Partial<StratusConfig>): StratusConfig {
  const config = { ...defaultConfig, ...overrides };
  // The built-in `test` key belongs to the default account, whichever that is.
  if (overrides.credentials === undefined) {
    config.credentials = defaultConfig.credentials.map((c) => ({ ...c, accountId: config.accountId }));
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError(`port must be an integer between 0 and 65535, got ${config.port}`);
  }
  if (!/^\d{12}$/.test(config.accountId))
    throw new ConfigError(`account id must be 12 digits, got '${config.accountId}'`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(config.region))
    throw new ConfigError(`'${config.region}' is not a region name`);
  // Lambda keeps 100 of the account's concurrency unreserved, so less than that cannot work.
  if (!Number.isInteger(config.lambdaConcurrency) || config.lambdaConcurrency < 100) {
    throw new ConfigError(
      `Lambda concurrency must be an integer of at least 100, got ${config.lambdaConcurrency}`,
    );
  }
  if (!(config.functionIdleSeconds > 0)) {
    throw new ConfigError(
      `function idle time must be a positive number of seconds, got ${config.functionIdleSeconds}`,
    );
  }
  if (config.smtpRelay !== undefined && !isSmtpUrl(config.smtpRelay)) {
    throw new ConfigError(
      `SMTP relay must be smtp://[user:pass@]host[:port] or smtps://…, got '${config.smtpRelay}'`,
    );
  }
  if (config.cognitoUrl !== undefined && !isHttpUrl(config.cognitoUrl)) {
    throw new ConfigError(`Cognito URL must be http://… or https://…, got '${config.cognitoUrl}'`);
  }
  if (!isLoopback(config.host)) config.requireAuth = true;
  return config;
}
