/**
 * The human-readable lines `stratus start` prints once the edge listens. They go to stderr because
 * stdout carries the server's JSON logs, which people pipe into other tools.
 */
import { join, resolve } from 'node:path';
import { defaultConfig, isLoopback, type StratusConfig } from '../config.js';
import type { SandboxMode } from '../functions/sandbox.js';
import { clockMoved, describeClock } from './clock-text.js';
import type { RunningStratus } from '../server/stratus.js';
import { version } from '../version.js';

/** A store URL as shown to people: the password replaced, since terminals get recorded and shared. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//****@');
  }
}

function storeLine(config: StratusConfig): string {
  const url = config.storeUrl ?? 'sqlite:';
  if (url.startsWith('postgres')) return `PostgreSQL ${redactedUrl(url)}`;
  const file = url.startsWith('sqlite://')
    ? url.slice('sqlite://'.length)
    : join(config.dataDir, 'stratus.db');
  return `SQLite ${resolve(file)} (durability ${config.durability})`;
}

function usesPublicKey(config: StratusConfig): boolean {
  const [testKey] = defaultConfig.credentials;
  return config.credentials.some(
    (c) => c.accessKeyId === testKey?.accessKeyId && c.secretAccessKey === testKey.secretAccessKey,
  );
}

function authLines(config: StratusConfig): string[] {
  if (!config.requireAuth) {
    return ['open: any access key gets in and only selects the account (--require-auth to check signatures)'];
  }
  const keys = config.credentials.map((c) => `${c.accessKeyId} (${c.accountId})`).join(', ');
  const lines = [`required: valid SigV4 signatures from ${keys}`];
  if (!isLoopback(config.host)) {
    lines.push(`auth is required because ${config.host} is not a loopback address`);
  }
  if (usesPublicKey(config)) {
    lines.push('the test/test key is public: set STRATUS_CREDENTIALS to your own keys');
  }
  return lines;
}

/** The sandbox mode in force, as the banner and `stratus status` show it. */
export function describeSandbox(mode: SandboxMode): string {
  return mode === 'bwrap'
    ? 'bwrap: each function sees only its code, its layers and a private /tmp'
    : 'process: FUNCTIONS ARE NOT SANDBOXED, they can read and write whatever Stratus can';
}

function sandboxLine(running: RunningStratus): string[] {
  const mode = running.health().services.lambda?.sandbox;
  if (!mode) return [];
  const why =
    mode === 'bwrap'
      ? ''
      : running.config.sandbox === 'process'
        ? ' (--sandbox process)'
        : ' (see the warning above)';
  return [`  sandbox   ${describeSandbox(mode)}${why}`];
}

/** A wildcard bind is not an address a client can dial; loopback reaches it from this machine. */
function clientUrl(running: RunningStratus): string {
  return ['0.0.0.0', '::'].includes(running.config.host) ? `http://127.0.0.1:${running.port}` : running.url;
}

/** Shown when the store keeps a clock someone moved: everything timed follows it, not the host. */
function timeLine(running: RunningStratus): string[] {
  const { time } = running.health();
  return clockMoved(time) ? [`  time      ${describeClock(time)} (stratus time real to undo)`] : [];
}

export function banner(running: RunningStratus): string {
  const { config } = running;
  const [auth, ...authNotes] = authLines(config);
  const credentialsHint = usesPublicKey(config)
    ? [`  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${config.region}`]
    : [];
  return [
    `Stratus ${version} is ready at ${running.url}`,
    `  store     ${storeLine(config)}`,
    `  data dir  ${resolve(config.dataDir)}`,
    `  account   ${config.accountId}`,
    `  region    ${config.region}`,
    `  auth      ${auth}`,
    ...authNotes.map((note) => `            ${note}`),
    ...sandboxLine(running),
    ...timeLine(running),
    ...(config.smtpRelay ? [`  mail      SES relays to ${redactedUrl(config.smtpRelay)}`] : []),
    '',
    'Point AWS tools at it:',
    `  export AWS_ENDPOINT_URL=${clientUrl(running)}`,
    ...credentialsHint,
    `S3 buckets are served path-style (${clientUrl(running)}/<bucket>/<key>): set forcePathStyle: true`,
    "  in the SDKs (boto3: Config(s3={'addressing_style': 'path'})) if the endpoint is a host name.",
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
