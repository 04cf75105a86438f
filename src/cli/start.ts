/** `stratus start`: run the server in the foreground until SIGINT or SIGTERM. */
import type { StratusConfig } from '../config.js';
import type { RunningStratus } from '../server/stratus.js';
import { banner, redactedUrl } from './banner.js';
import type { Command } from './command.js';
import { credentialsEnv, startConfig, startSettings } from './start-options.js';

/**
 * Resolves with the first SIGINT or SIGTERM. Listening starts before the server does, so a signal
 * sent as soon as the banner appears (or during start-up) still stops it cleanly. A second signal
 * exits at once: whoever sends it has decided not to wait for the close.
 */
function firstStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) process.exit(1);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * Start-up failures a user can fix (a busy port, an unreachable database, an unwritable data
 * directory, no sandbox where one is required), put in their words; anything else is a bug and
 * keeps its stack.
 */
function describeStartFailure(err: unknown, config: StratusConfig): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; syscall?: string; path?: string; severity?: string };
  // An AggregateError (every address of a host refused) has an empty message but a code.
  const detail = e.message || e.code || e.name;
  const where = `${config.host}:${config.port}`;
  if (e.name === 'SandboxUnavailable') return `functions must be sandboxed (--sandbox bwrap), but ${detail}`;
  if (e.syscall === 'listen') {
    if (e.code === 'EADDRINUSE')
      return `${where} is already in use (another Stratus?); choose one with --port`;
    if (e.code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this machine`;
    return `cannot listen on ${where}: ${detail}`;
  }
  if (config.storeUrl?.startsWith('postgres') && (e.severity || /^E[A-Z]+$/.test(e.code ?? ''))) {
    return `cannot use PostgreSQL at ${redactedUrl(config.storeUrl)}: ${detail}`;
  }
  if (e.code?.startsWith('SQLITE_')) return `cannot open the SQLite database: ${detail}`;
  if (e.path && e.syscall) return `cannot ${e.syscall} ${e.path}: ${e.code ?? detail}`;
  return undefined;
}

export const start: Command = {
  name: 'start',
  summary: 'Run Stratus in the foreground',
  description: [
    'Serves the AWS APIs on one port until interrupted (Ctrl-C or SIGTERM). Logs are JSON lines on',
    `stdout; the ready banner goes to stderr. ${credentialsEnv}="AKID:SECRET[:ACCOUNT],…" replaces the`,
    'default test/test key with your own.',
  ].join('\n'),
  flags: startSettings,
  async run(values, env) {
    const config = startConfig(values, env);
    // Loaded here, not at the top, so that `--help` and `status` answer without loading every service.
    const [{ pino }, { startStratus }] = await Promise.all([import('pino'), import('../server/stratus.js')]);
    const logger = pino({ level: config.logLevel, base: undefined });
    const stopSignal = firstStopSignal();
    let running: RunningStratus;
    try {
      running = await startStratus({ ...config, logger });
    } catch (err) {
      const reason = describeStartFailure(err, config);
      if (!reason) throw err;
      process.stderr.write(`stratus start: ${reason}\n`);
      return 1;
    }
    process.stderr.write(banner(running));
    logger.info({ signal: await stopSignal }, 'Stratus is stopping');
    try {
      await running.close();
      return 0;
    } catch (err) {
      logger.error({ err }, 'Stratus did not close cleanly');
      return 1;
    }
  },
};
