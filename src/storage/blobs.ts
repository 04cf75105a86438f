import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  size: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files: a blob lives at `<dir>/<first 2 hex>/<sha256>`, so equal content is
 * stored once and a name always matches its bytes. Writes go to a temp file, are fsynced, then
 * renamed into place: a crash leaves at worst a stray temp file, never a partial blob.
 */
export class BlobStore {
  constructor(private readonly dir: string) {}

  async put(data: Buffer | Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const blob = { sha256, size: data.byteLength };
    if (await this.touch(sha256)) return blob;
    const temp = await this.tempPath();
    try {
      const file = await open(temp, 'w');
      try {
        await file.writeFile(data);
        await file.sync();
      } finally {
        await file.close();
      }
      await this.moveIntoPlace(temp, sha256);
    } finally {
      await rm(temp, { force: true });
    }
    return blob;
  }

  /** Hashes while writing, so arbitrarily large streams never sit in memory. */
  async putStream(stream: AsyncIterable<Buffer>): Promise<StoredBlob> {
    const temp = await this.tempPath();
    try {
      const hash = createHash('sha256');
      let size = 0;
      const file = await open(temp, 'w');
      try {
        // Awaiting each write is the backpressure: the source is read no faster than the disk takes it.
        for await (const chunk of stream) {
          hash.update(chunk);
          size += chunk.length;
          await file.write(chunk);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      const sha256 = hash.digest('hex');
      if (!(await this.touch(sha256))) await this.moveIntoPlace(temp, sha256);
      return { sha256, size };
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  /** The blob's bytes, or those from `start` to `end` (inclusive) of them. */
  stream(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(sha256), range);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** When a blob was last written (or found stored by a write), epoch ms; undefined if absent. */
  async modifiedAt(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(sha256))).mtimeMs;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Marks a stored blob as just written and says whether it exists: a write that finds its bytes
   * already stored makes them recent, so a sweep of old blobs no row names spares them until the
   * writer's row has committed.
   */
  private async touch(sha256: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(this.pathOf(sha256), now, now);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Bytes of a stored blob. */
  async sizeOf(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  /** The hash of every stored blob (for clean-up after a reset), in no particular order. */
  async list(): Promise<string[]> {
    const hashes: string[] = [];
    for (const shard of await readdir(this.dir).catch(ignoreMissing)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.dir, shard)).catch(ignoreMissing)) {
        if (SHA256_HEX.test(name) && name.startsWith(shard)) hashes.push(name);
      }
    }
    return hashes;
  }

  /** Deleting a blob that is not there is not an error: callers may race to clean up. */
  async delete(sha256: string): Promise<void> {
    try {
      await unlink(this.pathOf(sha256));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Rejects anything but a lowercase hex SHA-256, so a hash can never name a path outside `dir`. */
  private pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`Invalid blob hash: ${JSON.stringify(sha256)}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Temp files live under `dir` so the final rename stays on one filesystem (and is atomic). */
  private async tempPath(): Promise<string> {
    const tempDir = join(this.dir, 'tmp');
    await mkdir(tempDir, { recursive: true });
    return join(tempDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
  }

  private async moveIntoPlace(temp: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    const shardDir = join(this.dir, sha256.slice(0, 2));
    await mkdir(shardDir, { recursive: true });
    await rename(temp, target);
    // The rename itself is only durable once the directory entry is on disk.
    await fsyncDirectory(shardDir);
  }
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function ignoreMissing(error: unknown): string[] {
  if (isNotFound(error)) return [];
  throw error;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
