/**
 * Runs Stratus in a child process for crash tests: `node --import tsx test/support/serve.ts <dataDir> [storeUrl]`.
 * Prints `READY <url>` on stdout once it listens.
 */
import { startStratus } from '../../src/server/stratus.js';

const [dataDir, storeUrl] = process.argv.slice(2);
const running = await startStratus({ port: 0, dataDir, storeUrl: storeUrl || undefined, logLevel: 'silent' });
process.stdout.write(`READY ${running.url}\n`);
