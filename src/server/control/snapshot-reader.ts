/**
 * Reading a snapshot file (see snapshot-format.ts) as records, checking on the way everything the
 * file itself can tell: gzip, JSON, the shape and order of lines, each blob's hash, and at the end
 * the counts and checksum.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { SqlValue } from '../../storage/store.js';
import {
  snapshotFormat,
  SnapshotError,
  type SnapshotCounts,
  type SnapshotHeader,
  type SnapshotRecord,
} from './snapshot-format.js';

/** A line this long is not one Stratus wrote (the largest row is a 40 MB SES message, base64). */
const maxLineBytes = 128 * 1024 * 1024;

function decodeValue(value: unknown, where: string): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'object') {
    const tagged = value as Record<string, unknown>;
    const keys = Object.keys(tagged);
    if (keys.length === 1 && typeof tagged.base64 === 'string') return Buffer.from(tagged.base64, 'base64');
    if (keys.length === 1 && ['NaN', 'Infinity', '-Infinity'].includes(tagged.number as string)) {
      return Number(tagged.number);
    }
  }
  throw new SnapshotError(
    `${where} holds a value that is not a column value: ${JSON.stringify(value).slice(0, 80)}`,
  );
}

/** The file's lines, each with its raw bytes (for the checksum); a line past the limit is refused. */
async function* lines(input: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw new SnapshotError('The snapshot has a line too long to be one.');
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

function parseLine(bytes: Buffer, number: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SnapshotError(`Line ${number} of the snapshot is not JSON: the file is damaged.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SnapshotError(`Line ${number} of the snapshot is not a JSON object: the file is damaged.`);
  }
  return value as Record<string, unknown>;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function readHeader(line: Record<string, unknown>): SnapshotHeader {
  if (line.format !== snapshotFormat) throw new SnapshotError('This file is not a Stratus snapshot.');
  const { formatVersion, stratusVersion, createdAt, engine, migrations } = line;
  if (typeof formatVersion !== 'number' || typeof stratusVersion !== 'string' || !isStrings(migrations)) {
    throw new SnapshotError('The snapshot header is damaged.');
  }
  return {
    format: snapshotFormat,
    formatVersion,
    stratusVersion,
    createdAt: String(createdAt),
    engine: String(engine),
    migrations,
  };
}

/** One line as a record, its shape checked (not yet against any schema). */
function readRecord(line: Record<string, unknown>, number: number): SnapshotRecord {
  const where = `Line ${number} of the snapshot`;
  if ('table' in line) {
    if (typeof line.table !== 'string' || !isStrings(line.columns) || line.columns.length === 0) {
      throw new SnapshotError(`${where} names a table without its columns.`);
    }
    return { kind: 'table', table: line.table, columns: line.columns };
  }
  if ('rows' in line) {
    if (!Array.isArray(line.rows) || !line.rows.every(Array.isArray)) {
      throw new SnapshotError(`${where} has rows that are not arrays.`);
    }
    return {
      kind: 'rows',
      rows: (line.rows as unknown[][]).map((row) => row.map((v) => decodeValue(v, where))),
    };
  }
  if ('blob' in line) {
    if (
      typeof line.blob !== 'string' ||
      !/^[0-9a-f]{64}$/.test(line.blob) ||
      !Number.isSafeInteger(line.size)
    ) {
      throw new SnapshotError(`${where} names a blob without a SHA-256 and size.`);
    }
    return { kind: 'blob', sha256: line.blob, size: line.size as number };
  }
  if ('data' in line && typeof line.data === 'string')
    return { kind: 'data', bytes: Buffer.from(line.data, 'base64') };
  throw new SnapshotError(`${where} is not a line of a Stratus snapshot.`);
}

/** Checks the order of records: rows follow their table and fit its columns, data fills its blob. */
class Sequence {
  readonly counts: SnapshotCounts = { tables: 0, rows: 0, blobs: 0 };
  private columns: number | undefined;
  private blob: { sha256: string; left: number; hash: Hash } | undefined;

  check(record: SnapshotRecord, where: string): void {
    if (this.blob && record.kind !== 'data')
      throw new SnapshotError(`${where}: blob ${this.blob.sha256} is cut short.`);
    switch (record.kind) {
      case 'table':
        this.counts.tables++;
        this.columns = record.columns.length;
        return;
      case 'rows':
        if (this.columns === undefined) throw new SnapshotError(`${where} has rows before any table.`);
        if (record.rows.some((row) => row.length !== this.columns)) {
          throw new SnapshotError(
            `${where} has a row whose values do not match its table's ${this.columns} columns.`,
          );
        }
        this.counts.rows += record.rows.length;
        return;
      case 'blob':
        this.counts.blobs++;
        this.columns = undefined;
        if (record.size > 0)
          this.blob = { sha256: record.sha256, left: record.size, hash: createHash('sha256') };
        else this.checkEmptyBlob(record.sha256, where);
        return;
      case 'data': {
        const blob = this.blob;
        if (!blob || record.bytes.length > blob.left)
          throw new SnapshotError(`${where} has data outside a blob.`);
        blob.hash.update(record.bytes);
        blob.left -= record.bytes.length;
        if (blob.left > 0) return;
        this.blob = undefined;
        if (blob.hash.digest('hex') !== blob.sha256) {
          throw new SnapshotError(
            `Blob ${blob.sha256} in the snapshot does not match its hash: the file is damaged.`,
          );
        }
        return;
      }
      default:
        return;
    }
  }

  finished(where: string): void {
    if (this.blob) throw new SnapshotError(`${where}: blob ${this.blob.sha256} is cut short.`);
  }

  private checkEmptyBlob(sha256: string, where: string): void {
    if (createHash('sha256').digest('hex') !== sha256)
      throw new SnapshotError(`${where} names a blob without its data.`);
  }
}

/**
 * Reads a snapshot file as records. Everything the file itself can tell is checked on the way —
 * gzip, JSON, shapes, order, blob hashes, and at the end the counts and checksum — so a caller
 * that reads to the end without an error has seen a whole, unaltered file. Errors are
 * `SnapshotError`s; the header is the first record.
 */
export async function* readSnapshot(path: string): AsyncGenerator<SnapshotRecord> {
  const gunzip = createGunzip();
  // pipeline, not pipe: a failure to read the file must reach the reader below too.
  pipeline(createReadStream(path), gunzip, () => {});
  const hash = createHash('sha256');
  const sequence = new Sequence();
  let number = 0;
  let ended = false;
  try {
    for await (const bytes of lines(gunzip)) {
      number++;
      const where = `Line ${number} of the snapshot`;
      if (ended) throw new SnapshotError('The snapshot goes on after its last line: the file is damaged.');
      const line = parseLine(bytes, number);
      if (number === 1) {
        hash.update(bytes);
        yield { kind: 'header', header: readHeader(line) };
        continue;
      }
      if ('end' in line) {
        sequence.finished(where);
        if (
          line.sha256 !== hash.digest('hex') ||
          JSON.stringify(line.end) !== JSON.stringify(sequence.counts)
        ) {
          throw new SnapshotError('The snapshot does not match its checksum: the file is damaged.');
        }
        ended = true;
        yield { kind: 'end', counts: sequence.counts };
        continue;
      }
      hash.update(bytes);
      const record = readRecord(line, number);
      sequence.check(record, where);
      yield record;
    }
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) {
      throw new SnapshotError(
        `The snapshot is not a gzip file, or it is damaged (${(err as Error).message}).`,
      );
    }
    throw err;
  } finally {
    gunzip.destroy();
  }
  if (number === 0) throw new SnapshotError('The snapshot is empty.');
  if (!ended) throw new SnapshotError('The snapshot ends early: the file is truncated.');
}

/** The header alone, to decide how to load the rest. */
export async function readSnapshotHeader(path: string): Promise<SnapshotHeader> {
  const records = readSnapshot(path);
  try {
    const first = await records.next();
    if (first.done || first.value.kind !== 'header')
      throw new SnapshotError('This file is not a Stratus snapshot.');
    return first.value.header;
  } finally {
    await records.return(undefined);
  }
}
