/**
 * Builds an imported REST API's resources and methods through the modules' own operations
 * (CreateResource, PutMethod, PutIntegration, PutMethodResponse, PutIntegrationResponse), so an
 * import is held to every rule a call of those would be. What one of them refuses becomes a line
 * of AWS's "Errors found during import", and the import goes on to find the others.
 */
import { isServiceError } from '../../../protocol/errors.js';
import type { Queryable } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import type { Methods } from '../methods.js';
import { resourceOf, type Resources } from '../resources.js';
import { resourceQueries } from '../tables.js';
import type { PlannedResource } from './import-rest.js';
import type { PlannedMethod } from './rest-operation.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export interface RestBuilders {
  resources: Resources;
  methods: Methods;
}

/** Runs an operation; what it refuses is recorded as `context: message`, and false returned. */
async function attempt(
  errors: string[],
  context: string,
  operation: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await operation();
    return true;
  } catch (error) {
    if (!isServiceError(error)) throw error;
    errors.push(`${context}: ${error.message}`);
    return false;
  }
}

export class RestApiBuilder {
  private readonly ids = new Map<string, string>();
  private readonly methodsOf = new Map<string, Set<string>>();
  readonly errors: string[] = [];

  constructor(
    private readonly tx: Queryable,
    private readonly m: RestBuilders,
    private readonly at: Place,
    private readonly restApiId: string,
  ) {}

  /** Learns the API's resources as they are. */
  async load(): Promise<void> {
    this.ids.clear();
    this.methodsOf.clear();
    for (const resource of (await resourceQueries.all(this.tx, this.restApiId)).map(resourceOf)) {
      this.ids.set(resource.path, resource.id);
      this.methodsOf.set(resource.path, new Set(Object.keys(resource.resourceMethods ?? {})));
    }
  }

  /** Overwrite mode: every resource but the root goes, and the root's methods. */
  async clear(): Promise<void> {
    const rootId = this.ids.get('/')!;
    for (const row of await resourceQueries.children(this.tx, this.restApiId, rootId)) {
      await this.m.resources.delete({ restApiId: this.restApiId, resourceId: row.id }, this.at);
    }
    for (const httpMethod of this.methodsOf.get('/') ?? []) {
      await this.m.methods.delete({ restApiId: this.restApiId, resourceId: rootId, httpMethod }, this.at);
    }
    await this.load();
  }

  async build(resources: readonly PlannedResource[]): Promise<void> {
    for (const resource of resources) {
      const resourceId = await this.ensureResource(resource.path);
      if (resourceId === undefined) continue;
      for (const method of resource.methods) await this.putMethod(resource.path, resourceId, method);
    }
  }

  /** The resource at a path, made with its missing ancestors. */
  private async ensureResource(path: string): Promise<string | undefined> {
    let parentPath = '/';
    for (const pathPart of path.split('/').filter((part) => part !== '')) {
      const childPath = parentPath === '/' ? `/${pathPart}` : `${parentPath}/${pathPart}`;
      if (!this.ids.has(childPath)) {
        const parentId = this.ids.get(parentPath)!;
        const made = await attempt(
          this.errors,
          `Unable to create resource at path '${childPath}'`,
          async () => {
            const created = await this.m.resources.create(
              { restApiId: this.restApiId, parentId, pathPart },
              this.at,
            );
            this.ids.set(childPath, created.id!);
          },
        );
        if (!made) return undefined;
      }
      parentPath = childPath;
    }
    return this.ids.get(parentPath);
  }

  private async putMethod(path: string, resourceId: string, planned: PlannedMethod): Promise<void> {
    const address = { restApiId: this.restApiId, resourceId, httpMethod: planned.httpMethod };
    const name = `'${planned.httpMethod}'`;
    const existing = this.methodsOf.get(path);
    // Merge mode: the imported method replaces the one there, with all of its parts.
    if (existing?.has(planned.httpMethod)) {
      await this.m.methods.delete(address, this.at);
      existing.delete(planned.httpMethod);
    }
    const put = await attempt(this.errors, `Unable to put method ${name} on resource at path '${path}'`, () =>
      this.m.methods.put({ ...planned.method, ...address }, this.at),
    );
    if (!put) return;
    for (const response of planned.methodResponses) {
      await attempt(
        this.errors,
        `Unable to put method response on ${name} for resource at path '${path}'`,
        () => this.m.methods.putMethodResponse({ ...response, ...address }, this.at),
      );
    }
    const { integration } = planned;
    if (!integration) return;
    const integrated = await attempt(
      this.errors,
      `Unable to put integration on ${name} for resource at path '${path}'`,
      () => this.m.methods.putIntegration({ ...integration, ...address }, this.at),
    );
    if (!integrated) return;
    for (const response of planned.integrationResponses) {
      await attempt(
        this.errors,
        `Unable to put integration response on ${name} for resource at path '${path}'`,
        () => this.m.methods.putIntegrationResponse({ ...response, ...address }, this.at),
      );
    }
  }
}
