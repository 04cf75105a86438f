/**
 * Child process for crash.test.ts: inserts rows into a SQLite store forever and prints each id
 * only after its commit returned. The parent SIGKILLs it mid-stream and checks that every id it
 * printed survived.
 *
 * Usage: node --import tsx crash-writer.ts <database path>
 */
import { SqliteStore } from '../sqlite.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts <database path>');

const store = new SqliteStore({ path });
await store.run('CREATE TABLE IF NOT EXISTS acknowledged (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');

for (let n = 1; ; n++) {
  // Alternate transactions and single statements: both paths must be durable once they resolve.
  const id =
    n % 2 === 0
      ? await store.transaction(async (tx) => {
          const row = await tx.get<{ id: number }>(
            'INSERT INTO acknowledged (note) VALUES (?) RETURNING id',
            [`tx ${n}`],
          );
          return row!.id;
        })
      : (await store.get<{ id: number }>('INSERT INTO acknowledged (note) VALUES (?) RETURNING id', [
          `single ${n}`,
        ]))!.id;
  process.stdout.write(`${id}\n`);
}
