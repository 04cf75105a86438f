/**
 * The peer bench:dynamodb compares Stratus with: dynalite, DynamoDB on LevelDB, in memory (its
 * default; memory-level is plain JavaScript), in its own process as Stratus is, so both have a
 * process of their own and their CPU time can be read alike. Tables are ACTIVE at once instead of
 * after dynalite's default half-second of CREATING.
 *   node --import tsx bench/support/dynamodb-dynalite.ts   → prints `READY <url>`
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';

// dynalite is CommonJS without type declarations; this is the one call it needs.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;

const server = dynalite({ createTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
