/** `stratus status`: ask a running Stratus what it is and what it serves. */
import type { HealthReport } from '../server/health.js';
import { describeSandbox } from './banner.js';
import { clockMoved, describeClock, formatDuration } from './clock-text.js';
import { UsageError, type Command } from './command.js';

const defaultEndpoint = 'http://127.0.0.1:4566';
const timeoutMs = 5000;

function endpointOf(value: string, source: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http:// or https:// URL, got '${value}'`);
  }
  return url;
}

export function formatHealth(endpoint: string, health: HealthReport): string {
  const services = Object.entries(health.services).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(0, ...services.map(([name]) => name.length)) + 2;
  const sandbox = health.services.lambda?.sandbox;
  return [
    `Stratus ${health.version} at ${endpoint}, up ${formatDuration(health.uptimeSeconds)}`,
    `  store     ${health.store.engine}`,
    `  account   ${health.accountId}`,
    `  region    ${health.region}`,
    ...(sandbox ? [`  sandbox   ${describeSandbox(sandbox)}`] : []),
    ...(health.time && clockMoved(health.time) ? [`  time      ${describeClock(health.time)}`] : []),
    `  services  ${services.length}`,
    ...services.map(
      ([name, s]) => `    ${name.padEnd(width)}${s.protocols.join(', ')} (API version ${s.apiVersion})`,
    ),
    '',
  ].join('\n');
}

function isHealthReport(value: unknown): value is HealthReport {
  const v = value as Partial<HealthReport> | null;
  return v?.status === 'ok' && typeof v.version === 'string' && typeof v.services === 'object';
}

/** Why a request got no answer, in words: `fetch` itself only says "fetch failed". */
function noAnswerReason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000}s`;
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? String(err);
}

export const status: Command = {
  name: 'status',
  summary: 'Show what a running Stratus serves',
  description: [
    `Asks GET /_stratus/health of a running Stratus (default ${defaultEndpoint}) and prints its`,
    'version, uptime, store and services. Exits 1 when nothing answers there.',
  ].join('\n'),
  flags: {
    endpoint: {
      type: 'string',
      arg: 'URL',
      env: 'AWS_ENDPOINT_URL',
      describe: `Where Stratus listens (default ${defaultEndpoint})`,
    },
  },
  async run(values, env) {
    const given = typeof values.endpoint === 'string' ? values.endpoint : undefined;
    const source = given !== undefined ? '--endpoint' : env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : 'default';
    const endpoint = endpointOf(given ?? (env.AWS_ENDPOINT_URL || defaultEndpoint), source);
    const shown = endpoint.origin;
    let response: Response;
    try {
      response = await fetch(new URL('/_stratus/health', endpoint), {
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      process.stderr.write(
        `stratus status: no Stratus answers at ${shown} (${noAnswerReason(err)}); start one with 'stratus start'\n`,
      );
      return 1;
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || !isHealthReport(body)) {
      process.stderr.write(
        `stratus status: ${shown} answers, but not as Stratus (HTTP ${response.status})\n`,
      );
      return 1;
    }
    process.stdout.write(formatHealth(shown, body));
    return 0;
  },
};
