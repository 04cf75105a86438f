/**
 * The snapshot file: gzip'd JSON Lines, the same from SQLite and PostgreSQL stores.
 *
 *   {"format":"stratus-snapshot","formatVersion":1,"stratusVersion":"0.1.0","createdAt":"…",
 *    "engine":"sqlite","migrations":["storage-001-work-items",…]}
 *   {"table":"sqs_queues","columns":["id","account_id",…]}
 *   {"rows":[[1,"000000000000",…],…]}            ← as many lines as it takes, about 1 MB each
 *   {"blob":"<sha256>","size":1234}
 *   {"data":"<base64>"}                         ← the blob in chunks of 1 MB
 *   {"end":{"tables":9,"rows":120,"blobs":2},"sha256":"<hex>"}
 *
 * Values are JSON strings, numbers and nulls; binary values are `{"base64":"…"}` and numbers JSON
 * cannot write `{"number":"NaN"}`. The last line's `sha256` is the hash of every byte before it,
 * so a truncated or altered file is refused even when its gzip stream is intact. Both sides
 * stream: neither a table nor a blob is ever held whole in memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { SqlValue } from '../../storage/store.js';

export const snapshotFormat = 'stratus-snapshot';
export const snapshotFormatVersion = 1;

export interface SnapshotHeader {
  format: typeof snapshotFormat;
  formatVersion: number;
  stratusVersion: string;
  /** When the snapshot was taken, on Stratus's clock (ISO 8601). */
  createdAt: string;
  /** The engine it was taken from; informative only. */
  engine: string;
  /** The migrations its tables had been through: which schema its rows are in. */
  migrations: string[];
}

export interface SnapshotCounts {
  tables: number;
  rows: number;
  blobs: number;
}

export type SnapshotRecord =
  | { kind: 'header'; header: SnapshotHeader }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'rows'; rows: SqlValue[][] }
  | { kind: 'blob'; sha256: string; size: number }
  | { kind: 'data'; bytes: Buffer }
  | { kind: 'end'; counts: SnapshotCounts };

/** A file that cannot be loaded, with what is wrong with it: the endpoint answers 400. */
export class SnapshotError extends Error {}

const targetLineBytes = 1024 * 1024;
const blobChunkBytes = 1024 * 1024;

function encodeValue(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array)
    return { base64: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { number: String(value) };
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

/** Writes a snapshot file line by line, through gzip, waiting for the disk (bounded memory). */
export class SnapshotWriter {
  private readonly gzip = createGzip();
  private readonly file: Writable;
  private readonly done: Promise<void>;
  private readonly hash: Hash = createHash('sha256');
  private readonly counts: SnapshotCounts = { tables: 0, rows: 0, blobs: 0 };
  private pendingRows: string[] = [];
  private pendingBytes = 0;

  constructor(path: string) {
    this.file = createWriteStream(path);
    this.gzip.pipe(this.file);
    this.done = new Promise((resolve, reject) => {
      this.file.once('finish', resolve);
      this.file.once('error', reject);
      this.gzip.once('error', reject);
    });
    // Failures surface through `end`; without a handler an early one would crash the process.
    this.done.catch(() => {});
  }

  async header(header: Omit<SnapshotHeader, 'format' | 'formatVersion'>): Promise<void> {
    await this.line({ format: snapshotFormat, formatVersion: snapshotFormatVersion, ...header });
  }

  async table(table: string, columns: readonly string[]): Promise<void> {
    await this.flushRows();
    this.counts.tables++;
    await this.line({ table, columns });
  }

  /** Rows of the last table; gathered into lines of about 1 MB. */
  async rows(rows: readonly (readonly unknown[])[]): Promise<void> {
    for (const row of rows) {
      const text = JSON.stringify(row.map(encodeValue));
      this.pendingRows.push(text);
      this.pendingBytes += text.length;
      this.counts.rows++;
      if (this.pendingBytes >= targetLineBytes) await this.flushRows();
    }
  }

  async blob(sha256: string, size: number, content: Readable): Promise<void> {
    await this.flushRows();
    this.counts.blobs++;
    await this.line({ blob: sha256, size });
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    for await (const chunk of content as AsyncIterable<Buffer>) {
      buffered.push(chunk);
      bufferedBytes += chunk.length;
      if (bufferedBytes >= blobChunkBytes) {
        const all = Buffer.concat(buffered);
        for (let at = 0; at + blobChunkBytes <= all.length; at += blobChunkBytes) {
          await this.line({ data: all.subarray(at, at + blobChunkBytes).toString('base64') });
        }
        const rest = all.subarray(all.length - (all.length % blobChunkBytes));
        buffered = rest.length > 0 ? [rest] : [];
        bufferedBytes = rest.length;
      }
    }
    if (bufferedBytes > 0) await this.line({ data: Buffer.concat(buffered).toString('base64') });
  }

  /** Writes the closing line and waits until the file is on disk. */
  async end(): Promise<SnapshotCounts> {
    await this.flushRows();
    const sha256 = this.hash.digest('hex');
    this.gzip.end(`${JSON.stringify({ end: this.counts, sha256 })}\n`);
    await this.done;
    return this.counts;
  }

  /** Stops writing after a failure; the caller deletes the file. */
  abort(): void {
    this.gzip.destroy();
    this.file.destroy();
  }

  private async flushRows(): Promise<void> {
    if (this.pendingRows.length === 0) return;
    const line = `{"rows":[${this.pendingRows.join(',')}]}`;
    this.pendingRows = [];
    this.pendingBytes = 0;
    await this.write(line);
  }

  private line(value: object): Promise<void> {
    return this.write(JSON.stringify(value));
  }

  private async write(line: string): Promise<void> {
    const bytes = Buffer.from(`${line}\n`);
    this.hash.update(bytes);
    if (!this.gzip.write(bytes)) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }
}
