/**
 * ImportApiKeys: API keys from a CSV file (api-key-csv.ts) created — or, for a value already
 * known, overwritten — and put in the usage plans the file names. A row AWS would refuse (a
 * value not 20 to 128 characters, a name past 1,024, an unknown usage plan) is a warning: with
 * `failOnWarnings` nothing is imported, else that row (or that plan) is skipped.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { parseApiKeyCsv, type ImportedKeyRow } from './api-key-csv.js';
import { apiKeyOf, type StoredApiKey } from './api-keys.js';
import { BadRequestException } from './errors.js';
import { apiId } from './ids.js';
import { apiKeyQueries, planKeyQueries, usagePlanQueries } from './usage-tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 128;
const MAX_NAME_LENGTH = 1024;

/** Why a row cannot be imported at all, if it cannot. */
export function rowProblem(row: ImportedKeyRow): string | undefined {
  if (row.key.length < MIN_KEY_LENGTH || row.key.length > MAX_KEY_LENGTH)
    return `Line ${row.line}: API Key value should be between ${MIN_KEY_LENGTH} and ${MAX_KEY_LENGTH} characters`;
  if (row.name.length > MAX_NAME_LENGTH)
    return `Line ${row.line}: API Key name should be at most ${MAX_NAME_LENGTH} characters`;
  return undefined;
}

export class ApiKeyImports {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async import(input: APIGW.ImportApiKeysRequest, at: Place): Promise<APIGW.ApiKeyIds> {
    if (input.format !== 'csv') throw new BadRequestException(`Invalid format: ${input.format ?? ''}`);
    const rows = parseApiKeyCsv(Buffer.from(input.body ?? new Uint8Array()).toString('utf8'));
    return this.store.transaction(async (tx) => {
      const warnings: string[] = [];
      const valid = rows.filter((row) => {
        const problem = rowProblem(row);
        if (problem) warnings.push(problem);
        return !problem;
      });
      const plans = new Map<string, boolean>();
      for (const id of new Set(valid.flatMap((row) => row.usagePlanIds)))
        plans.set(id, (await usagePlanQueries.find(tx, at, id)) !== undefined);
      for (const row of valid)
        for (const id of row.usagePlanIds)
          if (!plans.get(id)) warnings.push(`Line ${row.line}: Invalid Usage Plan ID specified: ${id}`);
      if (input.failOnWarnings && warnings.length > 0) throw new BadRequestException(warnings.join('; '));
      const ids: string[] = [];
      for (const row of valid) {
        const id = await this.put(tx, at, row);
        ids.push(id);
        for (const planId of row.usagePlanIds)
          if (plans.get(planId) && !(await planKeyQueries.exists(tx, planId, id)))
            await planKeyQueries.insert(tx, planId, id);
      }
      return { ids, ...(warnings.length > 0 ? { warnings } : {}) };
    });
  }

  /** The row's key created, or the key of the same value overwritten (AWS: the latest import wins). */
  private async put(tx: Queryable, at: Place, row: ImportedKeyRow): Promise<string> {
    const now = this.clock.now();
    const fields = {
      name: row.name,
      ...(row.description !== '' ? { description: row.description } : {}),
      enabled: row.enabled,
      lastUpdatedDate: now,
    };
    const existing = await apiKeyQueries.findByValue(tx, at, row.key);
    if (existing) {
      const { description: _dropped, ...kept } = apiKeyOf(existing);
      await apiKeyQueries.update(tx, existing.id, JSON.stringify({ ...kept, ...fields }));
      return existing.id;
    }
    const stored: StoredApiKey = { id: apiId(), value: row.key, createdDate: now, stageKeys: [], ...fields };
    await apiKeyQueries.insert(tx, {
      id: stored.id,
      account_id: at.accountId,
      region: at.region,
      value: stored.value,
      document: JSON.stringify(stored),
    });
    return stored.id;
  }
}
