/**
 * The flags of `stratus start` and how each becomes configuration. A flag wins over its
 * environment variable, which wins over the default; everything is checked here, once, so the
 * server trusts what it receives.
 */
import {
  defaultConfig,
  isHttpUrl,
  isSmtpUrl,
  parseCredentials,
  resolveConfig,
  type LogLevel,
  type StratusConfig,
} from '../config.js';
import { redactedUrl } from './banner.js';
import { UsageError, type Flag, type FlagValues } from './command.js';

interface Setting extends Flag {
  /** `source` names where the value came from (`--port` or `STRATUS_PORT`) for error messages. */
  apply(value: string, source: string, into: Partial<StratusConfig>): void;
}

const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function oneOf<T extends string>(allowed: readonly T[], value: string, source: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${source} must be one of ${allowed.join(', ')}, got '${value}'`);
}

function portNumber(value: string, source: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65535))
    throw new UsageError(`${source} must be a port number from 0 to 65535, got '${value}'`);
  return port;
}

/** Environment variables are strings; accept the spellings people use for on and off. */
function onOff(value: string, source: string): boolean {
  const answer = {
    true: true,
    '1': true,
    yes: true,
    on: true,
    false: false,
    '0': false,
    no: false,
    off: false,
  }[value.toLowerCase()];
  if (answer === undefined) throw new UsageError(`${source} must be true or false, got '${value}'`);
  return answer;
}

function storeUrl(value: string, source: string): string {
  if (/^(postgres|postgresql):\/\/|^sqlite:(\/\/.+)?$/.test(value)) return value;
  throw new UsageError(`${source} must be postgres://…, postgresql://…, sqlite: or sqlite://PATH`);
}

function positiveInteger(value: string, source: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0) {
    throw new UsageError(`${source} must be a positive whole number, got '${value}'`);
  }
  return Number(value);
}

export const startSettings: Record<string, Setting> = {
  host: {
    type: 'string',
    arg: 'HOST',
    env: 'STRATUS_HOST',
    describe: `Interface to listen on (default ${defaultConfig.host}); non-loopback forces auth`,
    apply(value, _source, into) {
      into.host = value;
    },
  },
  port: {
    type: 'string',
    arg: 'PORT',
    env: 'STRATUS_PORT',
    describe: `TCP port (default ${defaultConfig.port}; 0 picks a free one)`,
    apply(value, source, into) {
      into.port = portNumber(value, source);
    },
  },
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    env: 'STRATUS_DATA_DIR',
    describe: `Directory for the SQLite database and blobs (default ${defaultConfig.dataDir})`,
    apply(value, _source, into) {
      into.dataDir = value;
    },
  },
  store: {
    type: 'string',
    arg: 'URL',
    env: 'STRATUS_STORE',
    describe: 'postgres://… keeps state in PostgreSQL (default: SQLite in the data dir)',
    apply(value, source, into) {
      into.storeUrl = storeUrl(value, source);
    },
  },
  durability: {
    type: 'string',
    arg: 'normal|full',
    env: 'STRATUS_DURABILITY',
    describe: 'SQLite fsync policy: full (every commit) or normal (default)',
    apply(value, source, into) {
      into.durability = oneOf(['normal', 'full'] as const, value, source);
    },
  },
  'lambda-concurrency': {
    type: 'string',
    arg: 'N',
    env: 'STRATUS_LAMBDA_CONCURRENCY',
    describe: `Lambda's account concurrency limit per region (default ${defaultConfig.lambdaConcurrency})`,
    apply(value, source, into) {
      into.lambdaConcurrency = positiveInteger(value, source);
    },
  },
  'function-idle-timeout': {
    type: 'string',
    arg: 'SECONDS',
    env: 'STRATUS_FUNCTION_IDLE_TIMEOUT',
    describe: `Seconds an idle function environment stays warm (default ${defaultConfig.functionIdleSeconds})`,
    apply(value, source, into) {
      into.functionIdleSeconds = positiveInteger(value, source);
    },
  },
  'smtp-relay': {
    type: 'string',
    arg: 'URL',
    env: 'STRATUS_SMTP_RELAY',
    describe: 'smtp://user:pass@host:port: SES also delivers every message through this server',
    apply(value, source, into) {
      if (!isSmtpUrl(value)) {
        throw new UsageError(
          `${source} must be smtp://[user:pass@]host[:port] or smtps://…, got '${redactedUrl(value)}'`,
        );
      }
      into.smtpRelay = value;
    },
  },
  sandbox: {
    type: 'string',
    arg: 'auto|bwrap|process',
    env: 'STRATUS_SANDBOX',
    describe:
      'Isolate functions with bubblewrap: where it works (auto, default), always (bwrap), or not (process)',
    apply(value, source, into) {
      into.sandbox = oneOf(['auto', 'bwrap', 'process'] as const, value, source);
    },
  },
  'cognito-url': {
    type: 'string',
    arg: 'URL',
    env: 'STRATUS_COGNITO_URL',
    describe:
      "Where API Gateway fetches Cognito user pools' keys ({URL}/{poolId}/.well-known/jwks.json) instead of AWS",
    apply(value, source, into) {
      if (!isHttpUrl(value)) throw new UsageError(`${source} must be http://… or https://…, got '${value}'`);
      into.cognitoUrl = value;
    },
  },
  'log-level': {
    type: 'string',
    arg: 'LEVEL',
    env: 'STRATUS_LOG_LEVEL',
    describe: `${logLevels.join('|')} (default ${defaultConfig.logLevel})`,
    apply(value, source, into) {
      into.logLevel = oneOf(logLevels, value, source);
    },
  },
  'account-id': {
    type: 'string',
    arg: 'ID',
    env: 'STRATUS_ACCOUNT_ID',
    describe: `Account of the default key and unknown keys (default ${defaultConfig.accountId})`,
    apply(value, _source, into) {
      into.accountId = value;
    },
  },
  region: {
    type: 'string',
    arg: 'REGION',
    env: 'STRATUS_REGION',
    describe: `Default region (default ${defaultConfig.region})`,
    apply(value, _source, into) {
      into.region = value;
    },
  },
  'require-auth': {
    type: 'boolean',
    env: 'STRATUS_REQUIRE_AUTH',
    describe: 'Accept only configured keys with a valid SigV4 signature',
    apply(value, source, into) {
      into.requireAuth = onOff(value, source);
    },
  },
};

/** Kept out of the flags: a secret on a command line is visible to every user in `ps`. */
export const credentialsEnv = 'STRATUS_CREDENTIALS';

export function startConfig(values: FlagValues, env: NodeJS.ProcessEnv): StratusConfig {
  const overrides: Partial<StratusConfig> = {};
  for (const [name, setting] of Object.entries(startSettings)) {
    const flag = values[name];
    // An empty variable counts as unset, as `STRATUS_PORT= stratus start` means to a shell user.
    const fromEnv = setting.env ? env[setting.env] : undefined;
    if (flag !== undefined) setting.apply(String(flag), `--${name}`, overrides);
    else if (fromEnv) setting.apply(fromEnv, setting.env!, overrides);
  }
  const credentials = env[credentialsEnv];
  if (credentials) {
    overrides.credentials = parseCredentials(credentials, overrides.accountId ?? defaultConfig.accountId);
    if (overrides.credentials.length === 0) throw new UsageError(`${credentialsEnv} holds no keys`);
  }
  return resolveConfig(overrides);
}
