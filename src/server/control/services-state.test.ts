import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition, ServiceInstance } from '../../services/service.js';
import { BlobStore } from '../../storage/blobs.js';
import { SqliteStore } from '../../storage/sqlite.js';
import { ServicesState } from './services-state.js';
import type { StateChanges } from './state-changes.js';

describe('blobs shared by services', () => {
  let dir: string;
  let blobs: BlobStore;
  let store: SqliteStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-shared-blobs-'));
    blobs = new BlobStore(dir);
    store = new SqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Four stored blobs: one a service's rows name by index, one another's by listing, one pinned, one nobody's. */
  async function fixture() {
    const [indexed, listed, pinned, unused] = await Promise.all(
      ['indexed', 'listed', 'pinned', 'unused'].map(
        async (text) => (await blobs.put(Buffer.from(text))).sha256,
      ),
    );
    const service = (definition: Partial<ServiceDefinition>, instance: Partial<ServiceInstance> = {}) => ({
      definition: { name: 'x', ...definition } as ServiceDefinition,
      instance: { provider: {}, ...instance } as ServiceInstance,
    });
    const state = new ServicesState(
      store,
      blobs,
      [
        service({ blobInUse: async (_db, hash) => hash === indexed }),
        service({ referencedBlobs: async () => [listed!] }, { pinnedBlobs: () => [pinned!] }),
      ],
      pino({ level: 'silent' }),
      {} as StateChanges,
    );
    return { state, hashes: { indexed: indexed!, listed: listed!, pinned: pinned!, unused: unused! } };
  }

  it('releases a blob only when no service names or holds it', async () => {
    const { state, hashes } = await fixture();
    await state.releaseBlobs(Object.values(hashes));
    expect(await blobs.has(hashes.indexed)).toBe(true);
    expect(await blobs.has(hashes.listed)).toBe(true);
    expect(await blobs.has(hashes.pinned)).toBe(true);
    expect(await blobs.has(hashes.unused)).toBe(false);
  });

  it('sweeps only blobs unnamed and unwritten for the time given', async () => {
    const { state, hashes } = await fixture();
    const orphan = (await blobs.put(Buffer.from('left by a crash mid-upload'))).sha256;
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const hash of [orphan, hashes.listed]) utimesSync(join(dir, hash.slice(0, 2), hash), old, old);
    expect(await state.collectGarbage({ unusedForMs: 3_600_000 })).toBe(1);
    expect(await blobs.has(orphan)).toBe(false);
    expect(await blobs.has(hashes.unused)).toBe(true);
    expect(await blobs.has(hashes.listed)).toBe(true);
  });
});
