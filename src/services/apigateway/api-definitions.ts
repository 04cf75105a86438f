/**
 * A REST API's models, request validators and customized gateway responses. They are small and
 * read with the API, so they live on the API's own document (under `openApiDefinitions`, the name
 * they got when imports were all that made them), and a deployment's snapshot of the document
 * carries them to the invoke path. Changes go through RestApis.modify, under the row's lock.
 */
import type { Queryable } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import type { RestOpenApiDefinitions, WithRestDefinitions } from './openapi/definitions.js';
import { withoutEmpty } from './openapi/rest-api-document.js';
import type { RestApis, StoredRestApi } from './rest-apis.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export type Definitions = RestOpenApiDefinitions;

export function definitionsOf(api: StoredRestApi): Definitions {
  return (api as WithRestDefinitions<StoredRestApi>).openApiDefinitions ?? {};
}

/** The API's document with these definitions; empty lists are not kept. */
export function withDefinitions(api: StoredRestApi, definitions: Definitions): StoredRestApi {
  const next: WithRestDefinitions<StoredRestApi> = { ...api };
  const kept = withoutEmpty(definitions);
  if (kept) next.openApiDefinitions = kept;
  else delete next.openApiDefinitions;
  return next;
}

export class ApiDefinitions {
  constructor(readonly apis: RestApis) {}

  /** The API's definitions, or NotFoundException for an API that is not there. */
  async read(at: Place, restApiId: string): Promise<Definitions> {
    const row = await this.apis.require(at, restApiId);
    return definitionsOf(JSON.parse(row.document) as StoredRestApi);
  }

  /** Lets `change` alter a copy of the definitions and stores it, with the API's row locked. */
  modify<T>(
    at: Place,
    restApiId: string,
    change: (definitions: Definitions, tx: Queryable) => T | Promise<T>,
  ): Promise<T> {
    return this.apis.modify(at, restApiId, async (document, tx) => {
      const definitions = structuredClone(definitionsOf(document));
      const result = await change(definitions, tx);
      return { document: withDefinitions(document, definitions), result };
    });
  }
}
