import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore } from './blobs.js';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('BlobStore', () => {
  let dir: string;
  let blobs: BlobStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-blobs-'));
    blobs = new BlobStore(dir);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores content under its SHA-256, sharded by the first two hex digits', async () => {
    const data = Buffer.from('hello blobs');
    const stored = await blobs.put(data);
    expect(stored).toEqual({ sha256: sha256Of(data), size: data.length });
    expect(existsSync(join(dir, stored.sha256.slice(0, 2), stored.sha256))).toBe(true);
    expect(await blobs.get(stored.sha256)).toEqual(data);
    expect(await blobs.has(stored.sha256)).toBe(true);
  });

  it('accepts Uint8Array and treats a repeated put as a no-op', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const first = await blobs.put(data);
    const second = await blobs.put(Buffer.from(data));
    expect(second).toEqual(first);
    expect(readdirSync(join(dir, first.sha256.slice(0, 2)))).toEqual([first.sha256]);
  });

  it('stores a stream, hashing it on the way, and streams it back', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
    const whole = Buffer.concat(chunks);
    const stored = await blobs.putStream(Readable.from(chunks));
    expect(stored).toEqual({ sha256: sha256Of(whole), size: whole.length });

    const readBack: Buffer[] = [];
    for await (const chunk of blobs.stream(stored.sha256)) readBack.push(chunk as Buffer);
    // Buffer#equals: a deep toEqual over half a megabyte takes seconds.
    expect(Buffer.concat(readBack).equals(whole)).toBe(true);
    // Same content again: nothing new, and no temp file left behind.
    expect(await blobs.putStream(Readable.from(chunks))).toEqual(stored);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('leaves no temp file when the source stream fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('source broke'));
      },
    });
    await expect(blobs.putStream(failing)).rejects.toThrow('source broke');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('deletes blobs, and deleting a missing blob is fine', async () => {
    const { sha256 } = await blobs.put(Buffer.from('short-lived'));
    await blobs.delete(sha256);
    expect(await blobs.has(sha256)).toBe(false);
    await expect(blobs.delete(sha256)).resolves.toBeUndefined();
    await expect(blobs.get(sha256)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lists every stored blob and tells its size', async () => {
    const fresh = new BlobStore(join(dir, 'listed'));
    expect(await fresh.list()).toEqual([]);
    const a = await fresh.put(Buffer.from('first'));
    const b = await fresh.put(Buffer.from('second blob'));
    expect((await fresh.list()).sort()).toEqual([a.sha256, b.sha256].sort());
    expect(await fresh.sizeOf(b.sha256)).toBe(11);
  });

  it('rejects malformed hashes instead of touching the file system', async () => {
    for (const bad of ['../../etc/passwd', 'ab', 'A'.repeat(64), `${'a'.repeat(63)}/`, '']) {
      await expect(blobs.get(bad)).rejects.toThrow(/Invalid blob hash/);
      await expect(blobs.has(bad)).rejects.toThrow(/Invalid blob hash/);
      await expect(blobs.delete(bad)).rejects.toThrow(/Invalid blob hash/);
      expect(() => blobs.stream(bad)).toThrow(/Invalid blob hash/);
    }
  });

  it('makes bytes it finds already stored recent again, so a sweep of old blobs spares them', async () => {
    const data = Buffer.from('stored twice');
    const { sha256 } = await blobs.put(data);
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(join(dir, sha256.slice(0, 2), sha256), old, old);
    expect(await blobs.modifiedAt(sha256)).toBeLessThan(Date.now() - 3_600_000);
    await blobs.putStream(Readable.from([data]));
    expect(await blobs.modifiedAt(sha256)).toBeGreaterThan(Date.now() - 60_000);
    expect(await blobs.modifiedAt('0'.repeat(64))).toBeUndefined();
  });
});
