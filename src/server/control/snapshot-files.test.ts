import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotError, SnapshotWriter, type SnapshotRecord } from './snapshot-format.js';
import { readSnapshot, readSnapshotHeader } from './snapshot-reader.js';

const header = {
  stratusVersion: '0.1.0',
  createdAt: '2026-01-01T00:00:00.000Z',
  engine: 'sqlite',
  migrations: ['storage-001-work-items'],
};

async function readAll(path: string): Promise<SnapshotRecord[]> {
  const records: SnapshotRecord[] = [];
  for await (const record of readSnapshot(path)) records.push(record);
  return records;
}

describe('snapshot files', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-snapshot-'));
    path = join(dir, 'snapshot.gz');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function write(build: (writer: SnapshotWriter) => Promise<void>): Promise<void> {
    const writer = new SnapshotWriter(path);
    await writer.header(header);
    await build(writer);
    await writer.end();
  }

  /** Rewrites the file's lines (uncompressed) through `edit`. */
  function editLines(edit: (lines: string[]) => string[]): void {
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').slice(0, -1);
    writeFileSync(path, gzipSync(`${edit(lines).join('\n')}\n`));
  }

  it('carry rows with strings, numbers, nulls, bytes and non-finite numbers, and blobs in chunks', async () => {
    const blob = Buffer.alloc(2.5 * 1024 * 1024, 7);
    const sha256 = createHash('sha256').update(blob).digest('hex');
    await write(async (writer) => {
      await writer.table('things', ['id', 'name', 'data', 'score']);
      await writer.rows([
        [1, 'one', Buffer.from([0, 1, 255]), 1.5],
        [2, null, null, Number.NaN],
      ]);
      await writer.blob(sha256, blob.length, Readable.from([blob.subarray(0, 1000), blob.subarray(1000)]));
    });
    const records = await readAll(path);
    expect(records.map((r) => r.kind)).toEqual([
      'header',
      'table',
      'rows',
      'blob',
      'data',
      'data',
      'data',
      'end',
    ]);
    expect(records[0]).toEqual({
      kind: 'header',
      header: { format: 'stratus-snapshot', formatVersion: 1, ...header },
    });
    expect(records[2]).toEqual({
      kind: 'rows',
      rows: [
        [1, 'one', Buffer.from([0, 1, 255]), 1.5],
        [2, null, null, Number.NaN],
      ],
    });
    const data = records.flatMap((r) => (r.kind === 'data' ? [r.bytes] : []));
    expect(Buffer.concat(data).equals(blob)).toBe(true);
    expect(records.at(-1)).toEqual({ kind: 'end', counts: { tables: 1, rows: 2, blobs: 1 } });
    expect(await readSnapshotHeader(path)).toMatchObject({ migrations: header.migrations });
  });

  it('gather many small rows into few lines', async () => {
    await write(async (writer) => {
      await writer.table('many', ['id']);
      await writer.rows(Array.from({ length: 10_000 }, (_, i) => [i]));
    });
    const records = await readAll(path);
    expect(records.filter((r) => r.kind === 'rows')).toHaveLength(1);
  });

  const refused = async (message: RegExp) => {
    const error = await readAll(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as Error).message).toMatch(message);
  };

  it('are refused when not gzip, or damaged inside the gzip stream', async () => {
    writeFileSync(path, 'not a snapshot');
    await refused(/not a gzip file/);
    await write(async (writer) => writer.table('t', ['a']));
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 12));
    await refused(/gzip|truncated/);
  });

  it('are refused when a line was changed, dropped or added', async () => {
    await write(async (writer) => {
      await writer.table('t', ['a']);
      await writer.rows([[1], [2]]);
    });
    const original = readFileSync(path);
    editLines((lines) => lines.map((line) => line.replace('[1]', '[9]')));
    await refused(/checksum/);
    writeFileSync(path, original);
    editLines((lines) => lines.slice(0, -1));
    await refused(/truncated/);
    writeFileSync(path, original);
    editLines((lines) => [...lines, '{"rows":[[3]]}']);
    await refused(/after its last line/);
  });

  it('are refused when a line is not JSON, or not a snapshot at all', async () => {
    await write(async (writer) => writer.table('t', ['a']));
    editLines((lines) => [lines[0]!, '{"rows": [[1]', ...lines.slice(1)]);
    await refused(/Line 2 .* not JSON/);
    writeFileSync(path, gzipSync('{"hello":"world"}\n'));
    await refused(/not a Stratus snapshot/);
    writeFileSync(path, gzipSync(''));
    await refused(/empty/);
  });

  it('are refused when rows do not fit their table or a blob does not match its hash', async () => {
    await write(async (writer) => {
      await writer.table('t', ['a', 'b']);
      await writer.rows([[1]]);
    });
    await refused(/do not match its table's 2 columns/);
    await write(async (writer) => writer.blob('0'.repeat(64), 3, Readable.from([Buffer.from('abc')])));
    await refused(/does not match its hash/);
  });
});
