/**
 * Documentation versions of REST APIs: a named snapshot of the API's documentation parts as they
 * were when it was made, optionally named on a stage (its `documentationVersion`).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../../engine/clock.js';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { stageOf } from '../deployments.js';
import { ConflictException, invalidStage, NotFoundException } from '../errors.js';
import { page } from '../paging.js';
import { applyPatch, type PatchRules } from '../patch.js';
import type { RestApis } from '../rest-apis.js';
import { stageQueries } from '../tables.js';
import {
  documentationPartQueries,
  documentationVersionQueries,
  type DocumentationVersionRow,
} from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type StoredVersion = Omit<APIGW.DocumentationVersion, 'createdDate'> & {
  version: string;
  createdDate: number;
};

const patchRules: PatchRules = { '/description': { target: 'string', ops: ['replace'] } };

export const invalidDocumentationVersion = () =>
  new NotFoundException('Invalid Documentation version identifier specified');

function output(stored: StoredVersion): APIGW.DocumentationVersion {
  return { ...stored, createdDate: new Date(stored.createdDate) };
}

const versionOf = (row: DocumentationVersionRow) => JSON.parse(row.document) as StoredVersion;

export class DocumentationVersions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly apis: RestApis,
  ) {}

  async create(
    input: APIGW.CreateDocumentationVersionRequest,
    at: Place,
  ): Promise<APIGW.DocumentationVersion> {
    const api = await this.apis.require(at, input.restApiId!);
    const stored: StoredVersion = {
      version: input.documentationVersion!,
      createdDate: this.clock.now(),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    await this.store.transaction(async (tx) => {
      if (await documentationVersionQueries.find(tx, api.id, stored.version))
        throw new ConflictException('Documentation version already exists');
      if (input.stageName !== undefined) {
        const row = await stageQueries.find(tx, api.id, input.stageName);
        if (!row) throw invalidStage();
        const stage = {
          ...stageOf(row),
          documentationVersion: stored.version,
          lastUpdatedDate: stored.createdDate,
        };
        await stageQueries.update(tx, api.id, input.stageName, row.deployment_id, JSON.stringify(stage));
      }
      const parts = (await documentationPartQueries.all(tx, api.id)).map((row) => JSON.parse(row.document));
      await documentationVersionQueries.insert(tx, {
        api_id: api.id,
        version: stored.version,
        document: JSON.stringify(stored),
        parts: JSON.stringify(parts),
      });
    });
    return output(stored);
  }

  async get(input: APIGW.GetDocumentationVersionRequest, at: Place): Promise<APIGW.DocumentationVersion> {
    const api = await this.apis.require(at, input.restApiId!);
    return output(versionOf(await this.require(this.store, api.id, input.documentationVersion!)));
  }

  async list(input: APIGW.GetDocumentationVersionsRequest, at: Place): Promise<APIGW.DocumentationVersions> {
    const api = await this.apis.require(at, input.restApiId!);
    const { items, position } = await page(input, async (after, limit) =>
      (await documentationVersionQueries.list(this.store, api.id, after, limit)).map((row) => ({
        id: row.version,
        version: versionOf(row),
      })),
    );
    return { items: items.map((item) => output(item.version)), ...(position ? { position } : {}) };
  }

  async update(
    input: APIGW.UpdateDocumentationVersionRequest,
    at: Place,
  ): Promise<APIGW.DocumentationVersion> {
    const api = await this.apis.require(at, input.restApiId!);
    return this.store.transaction(async (tx) => {
      const row = await this.require(tx, api.id, input.documentationVersion!);
      const updated = applyPatch(versionOf(row), input.patchOperations ?? [], patchRules);
      await documentationVersionQueries.update(tx, api.id, row.version, JSON.stringify(updated));
      return output(updated);
    });
  }

  async delete(input: APIGW.DeleteDocumentationVersionRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await this.require(this.store, api.id, input.documentationVersion!);
    await documentationVersionQueries.delete(this.store, api.id, row.version);
  }

  private async require(db: Queryable, apiId: string, version: string): Promise<DocumentationVersionRow> {
    const row = await documentationVersionQueries.find(db, apiId, version);
    if (!row) throw invalidDocumentationVersion();
    return row;
  }
}
