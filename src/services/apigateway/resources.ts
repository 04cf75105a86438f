/**
 * A REST API's resource tree: `/`, `/pets`, `/pets/{id}`, `/{proxy+}`. A resource's row holds
 * the AWS `Resource` shape with its methods (and their integrations) inside, so the methods'
 * operations read and write one row.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, ConflictException, invalidResource } from './errors.js';
import { childId } from './ids.js';
import { page } from './paging.js';
import type { RestApis, StoredRestApi } from './rest-apis.js';
import { resourceQueries, type ResourceRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export type StoredResource = APIGW.Resource & { id: string; path: string };

/** `users`, `{id}`, `{proxy+}`: AWS's allowed characters, a variable at most once per segment. */
const PATH_PART = /^(?:[a-zA-Z0-9._:@&=+$,!*'()~-]+|\{[a-zA-Z0-9._-]+\+?\})$/;

export const isVariable = (pathPart: string) => pathPart.startsWith('{');
export const isGreedy = (pathPart: string) => pathPart.endsWith('+}');

export function resourceOf(row: ResourceRow): StoredResource {
  return JSON.parse(row.document) as StoredResource;
}

function checkPathPart(pathPart: string): void {
  if (!PATH_PART.test(pathPart)) {
    throw new BadRequestException(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
}

/** Whether a resource may have this path part under this parent, beside these siblings. */
function checkPlacement(parent: StoredResource, pathPart: string, siblings: readonly StoredResource[]): void {
  checkPathPart(pathPart);
  if (parent.pathPart && isGreedy(parent.pathPart)) {
    throw new BadRequestException(
      `Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`,
    );
  }
  for (const sibling of siblings) {
    if (sibling.pathPart === pathPart) {
      throw new ConflictException(`Another resource with the same parent already has this name: ${pathPart}`);
    }
    if (isVariable(pathPart) && isVariable(sibling.pathPart!)) {
      throw new BadRequestException(
        `A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`,
      );
    }
  }
}

const childPath = (parent: StoredResource, pathPart: string) =>
  parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`;

const RESOURCE_PATCH_PATHS = ['/parentId', '/pathPart'];

/** GetResources without `embed=methods` lists each method as an empty object. */
function withoutMethodDetails(resource: StoredResource): APIGW.Resource {
  if (!resource.resourceMethods) return resource;
  return {
    ...resource,
    resourceMethods: Object.fromEntries(Object.keys(resource.resourceMethods).map((m) => [m, {}])),
  };
}

export class Resources {
  constructor(
    private readonly store: Store,
    private readonly apis: RestApis,
  ) {}

  async create(input: APIGW.CreateResourceRequest, at: Place): Promise<APIGW.Resource> {
    const api = await this.apis.require(at, input.restApiId!);
    const pathPart = input.pathPart!;
    checkPathPart(pathPart);
    return this.store.transaction(async (tx) => {
      const parentRow = await resourceQueries.find(tx, api.id, input.parentId!);
      if (!parentRow) throw invalidResource();
      const parent = resourceOf(parentRow);
      checkPlacement(
        parent,
        pathPart,
        (await resourceQueries.children(tx, api.id, parent.id)).map(resourceOf),
      );
      const id = childId();
      const path = childPath(parent, pathPart);
      const resource: StoredResource = { id, parentId: parent.id, pathPart, path };
      await resourceQueries.insert(tx, {
        api_id: api.id,
        id,
        parent_id: parent.id,
        path,
        document: JSON.stringify(resource),
      });
      return resource;
    });
  }

  async get(input: APIGW.GetResourceRequest, at: Place): Promise<APIGW.Resource> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await resourceQueries.find(this.store, api.id, input.resourceId!);
    if (!row) throw invalidResource();
    const resource = resourceOf(row);
    return input.embed?.includes('methods') ? resource : withoutMethodDetails(resource);
  }

  async list(input: APIGW.GetResourcesRequest, at: Place): Promise<APIGW.Resources> {
    const api = await this.apis.require(at, input.restApiId!);
    const all = (await resourceQueries.all(this.store, api.id)).map(resourceOf);
    all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { items, position } = await page(input, async (after, limit) =>
      all.filter((r) => r.id > after).slice(0, limit),
    );
    const embed = input.embed?.includes('methods') ?? false;
    return {
      items: items.map((r) => (embed ? r : withoutMethodDetails(r))),
      ...(position ? { position } : {}),
    };
  }

  /** UpdateResource: a new path part, or a new parent; the resource's subtree moves with it. */
  async update(input: APIGW.UpdateResourceRequest, at: Place): Promise<APIGW.Resource> {
    const api = await this.apis.require(at, input.restApiId!);
    return this.store.transaction(async (tx) => {
      const all = (await resourceQueries.all(tx, api.id, this.store.dialect.forUpdate)).map(resourceOf);
      const resource = all.find((r) => r.id === input.resourceId);
      if (!resource) throw invalidResource();
      let { pathPart, parentId } = resource;
      for (const { op, path, value } of input.patchOperations ?? []) {
        if (!path || !RESOURCE_PATCH_PATHS.includes(path)) {
          throw new BadRequestException(
            `Invalid patch path  '${path ?? ''}' specified for op '${op ?? ''}'. Must be one of: [/parentId, /pathPart]`,
          );
        }
        if (op !== 'replace') {
          throw new BadRequestException(
            `Invalid patch path  '${path}' specified for op '${op ?? ''}'. Please choose supported operations`,
          );
        }
        if (path === '/pathPart') pathPart = value;
        else parentId = value;
      }
      if (!resource.parentId) throw new BadRequestException('Cannot modify the root resource');
      const parent = all.find((r) => r.id === parentId);
      if (!parent) throw invalidResource();
      const inSubtree = (r: StoredResource) => r.id === resource.id || r.path.startsWith(`${resource.path}/`);
      if (inSubtree(parent)) throw new BadRequestException('Resources cannot be cyclical.');
      checkPlacement(
        parent,
        pathPart ?? '',
        all.filter((r) => r.parentId === parent.id && r.id !== resource.id),
      );
      if (isGreedy(pathPart!) && all.some((r) => r.parentId === resource.id)) {
        throw new BadRequestException(
          `Cannot create a greedy path variable on a resource with children: ${pathPart}`,
        );
      }
      const path = childPath(parent, pathPart!);
      const moved = { ...resource, pathPart, parentId: parent.id, path };
      for (const r of all.filter(inSubtree)) {
        const next =
          r.id === resource.id ? moved : { ...r, path: `${path}${r.path.slice(resource.path.length)}` };
        await resourceQueries.move(tx, {
          api_id: api.id,
          id: next.id,
          parent_id: next.parentId ?? null,
          path: next.path,
          document: JSON.stringify(next),
        });
      }
      return withoutMethodDetails(moved);
    });
  }

  async delete(input: APIGW.DeleteResourceRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await resourceQueries.find(this.store, api.id, input.resourceId!);
    if (!row) throw invalidResource();
    if (row.parent_id === null) throw new BadRequestException('Cannot delete root resource');
    await resourceQueries.deleteTree(this.store, api.id, row.path);
  }

  /**
   * Reads a resource under lock, lets `change` alter it, and writes it back: how the methods'
   * operations change one resource without losing a concurrent change to another of its methods.
   */
  async modify<T>(
    at: Place,
    restApiId: string,
    resourceId: string,
    change: (resource: StoredResource, api: StoredRestApi) => T,
  ): Promise<T> {
    const api = await this.apis.require(at, restApiId);
    return this.store.transaction(async (tx: Queryable) => {
      const row = await resourceQueries.find(tx, api.id, resourceId, this.store.dialect.forUpdate);
      if (!row) throw invalidResource();
      const resource = resourceOf(row);
      const result = change(resource, JSON.parse(api.document) as StoredRestApi);
      await resourceQueries.update(tx, api.id, resourceId, JSON.stringify(resource));
      return result;
    });
  }

  /** Reads a resource for the methods' Get operations. */
  async read(at: Place, restApiId: string, resourceId: string): Promise<StoredResource> {
    const api = await this.apis.require(at, restApiId);
    const row = await resourceQueries.find(this.store, api.id, resourceId);
    if (!row) throw invalidResource();
    return resourceOf(row);
  }
}
