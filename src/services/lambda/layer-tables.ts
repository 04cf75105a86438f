/**
 * Layer queries, and the reference check that decides when a deployment package may be removed.
 * A layer row outlives its versions so that version numbers are never reused, as in Lambda.
 */
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

export type LayerRow = {
  id: number;
  account_id: string;
  region: string;
  name: string;
  last_version: number;
};

export type LayerVersionRow = {
  id: number;
  layer_id: number;
  version: number;
  description: string;
  license_info: string | null;
  /** JSON arrays. */
  compatible_runtimes: string;
  compatible_architectures: string;
  code_sha256: string;
  code_size: number;
  unzipped_size: number;
  created_at: number;
};

export type LayerVersionWithName = LayerVersionRow & { layer_name: string };

export const layerQueries = {
  byName: (db: Queryable, at: Region, name: string) =>
    db.get<LayerRow>('SELECT * FROM lambda_layers WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  /** Creates the layer if needed and takes its next version number. */
  takeVersionNumber: async (db: Queryable, at: Region, name: string) => {
    await db.run(
      `INSERT INTO lambda_layers (account_id, region, name, last_version) VALUES (?, ?, ?, 0)
       ON CONFLICT (account_id, region, name) DO NOTHING`,
      [at.accountId, at.region, name],
    );
    return (await db.get<{ id: number; last_version: number }>(
      `UPDATE lambda_layers SET last_version = last_version + 1 WHERE account_id = ? AND region = ? AND name = ?
       RETURNING id, last_version`,
      [at.accountId, at.region, name],
    ))!;
  },

  insertVersion: (db: Queryable, v: Omit<LayerVersionRow, 'id'>) =>
    db.run(
      `INSERT INTO lambda_layer_versions (layer_id, version, description, license_info, compatible_runtimes,
         compatible_architectures, code_sha256, code_size, unzipped_size, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        v.layer_id,
        v.version,
        v.description,
        v.license_info,
        v.compatible_runtimes,
        v.compatible_architectures,
        v.code_sha256,
        v.code_size,
        v.unzipped_size,
        v.created_at,
      ],
    ),

  version: (db: Queryable, at: Region, name: string, version: number) =>
    db.get<LayerVersionWithName>(
      `SELECT lv.*, l.name AS layer_name FROM lambda_layer_versions lv JOIN lambda_layers l ON l.id = lv.layer_id
       WHERE l.account_id = ? AND l.region = ? AND l.name = ? AND lv.version = ?`,
      [at.accountId, at.region, name, version],
    ),

  /** Versions of one layer, newest first. */
  versions: (db: Queryable, at: Region, name: string) =>
    db.all<LayerVersionWithName>(
      `SELECT lv.*, l.name AS layer_name FROM lambda_layer_versions lv JOIN lambda_layers l ON l.id = lv.layer_id
       WHERE l.account_id = ? AND l.region = ? AND l.name = ? ORDER BY lv.version DESC`,
      [at.accountId, at.region, name],
    ),

  /** Versions of every layer, by name then newest first. */
  allVersions: (db: Queryable, at: Region) =>
    db.all<LayerVersionWithName>(
      `SELECT lv.*, l.name AS layer_name FROM lambda_layer_versions lv JOIN lambda_layers l ON l.id = lv.layer_id
       WHERE l.account_id = ? AND l.region = ? ORDER BY l.name, lv.version DESC`,
      [at.accountId, at.region],
    ),

  deleteVersion: (db: Queryable, id: number) =>
    db.run('DELETE FROM lambda_layer_versions WHERE id = ?', [id]),
};

/**
 * Whether any function version or layer version still uses a package. Function configurations
 * keep the hashes of their layers, so a deleted layer version's code stays while functions use it.
 */
export async function codeInUse(db: Queryable, sha256: string): Promise<boolean> {
  const row = await db.get<{ n: number }>(
    `SELECT
       (SELECT COUNT(*) FROM lambda_versions WHERE code_sha256 = ?) +
       (SELECT COUNT(*) FROM lambda_layer_versions WHERE code_sha256 = ?) +
       (SELECT COUNT(*) FROM lambda_versions WHERE config LIKE ?) AS n`,
    [sha256, sha256, `%${sha256}%`],
  );
  return Number(row?.n ?? 0) > 0;
}

/**
 * Every package a function version or layer version uses, the layers a function configuration
 * names included (a deleted layer version's code stays while functions use it).
 */
export async function referencedCode(db: Queryable): Promise<Set<string>> {
  const rows = await db.all<{ code_sha256: string }>(
    'SELECT code_sha256 FROM lambda_versions UNION SELECT code_sha256 FROM lambda_layer_versions',
  );
  const hashes = new Set(rows.map((row) => row.code_sha256));
  const withLayers = await db.all<{ config: string }>(
    `SELECT config FROM lambda_versions WHERE config LIKE '%"sha256"%'`,
  );
  for (const { config } of withLayers) {
    for (const layer of (JSON.parse(config) as { layers?: { sha256: string }[] }).layers ?? []) {
      hashes.add(layer.sha256);
    }
  }
  return hashes;
}
