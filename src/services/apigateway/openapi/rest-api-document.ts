/**
 * What an import does to the REST API's own document: its name, version and API-level settings
 * from the imported document, and the kept definitions (models, validators, …). Overwrite
 * replaces them; merge lets the imported ones win by name and keeps the rest. Neither touches the
 * endpoint configuration, as AWS's PutRestApi does not.
 */
import type { StoredRestApi } from '../rest-apis.js';
import type { RestOpenApiDefinitions, WithRestDefinitions } from './definitions.js';
import type { RestApiSettings, RestImportPlan } from './import-rest.js';

export type PutMode = 'merge' | 'overwrite';
type Place = { accountId: string; region: string };

/** `execute-api:/*` in a policy is this API: AWS writes it out as the API's ARN on import. */
export function policyFor(policy: string, at: Place, restApiId: string): string {
  return policy.replace(
    /"execute-api:\//g,
    `"arn:aws:execute-api:${at.region}:${at.accountId}:${restApiId}/`,
  );
}

/** A definition list with the imported ones replacing those of the same name. */
function byName<T>(
  existing: T[] | undefined,
  imported: T[] | undefined,
  nameOf: (item: T) => string | undefined,
): T[] {
  const names = new Set((imported ?? []).map(nameOf));
  return [...(existing ?? []).filter((item) => !names.has(nameOf(item))), ...(imported ?? [])];
}

/**
 * Merge mode: the imported definitions win by name, and an imported validator takes the id of the
 * one it replaces, so methods the import leaves alone still name it. Returns the definitions and
 * the ids to rename in the plan's methods.
 */
export function mergeDefinitions(
  existing: RestOpenApiDefinitions | undefined,
  imported: RestOpenApiDefinitions,
): { definitions: RestOpenApiDefinitions; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const keepIds = <T extends { id?: string; name?: string }>(list: T[] | undefined, old: T[] | undefined) =>
    (list ?? []).map((item) => {
      const previous = old?.find((o) => o.name === item.name);
      if (!previous?.id || !item.id) return item;
      renamed.set(item.id, previous.id);
      return { ...item, id: previous.id };
    });
  const requestValidators = keepIds(imported.requestValidators, existing?.requestValidators);
  const models = keepIds(imported.models, existing?.models);
  return {
    definitions: {
      requestValidators: byName(existing?.requestValidators, requestValidators, (v) => v.name),
      models: byName(existing?.models, models, (m) => m.name),
      gatewayResponses: byName(existing?.gatewayResponses, imported.gatewayResponses, (r) => r.responseType),
    },
    renamed,
  };
}

/** Points the plan's methods at other ids: those `mergeDefinitions` kept, the authorizers made. */
export function renameIds(plan: RestImportPlan, renamed: ReadonlyMap<string, string>): void {
  for (const resource of plan.resources) {
    for (const { method } of resource.methods) {
      if (method.authorizerId) method.authorizerId = renamed.get(method.authorizerId) ?? method.authorizerId;
      if (method.requestValidatorId) {
        method.requestValidatorId = renamed.get(method.requestValidatorId) ?? method.requestValidatorId;
      }
    }
  }
}

/** Drops empty definition lists, so an API without them stores none. */
export function withoutEmpty(definitions: RestOpenApiDefinitions): RestOpenApiDefinitions | undefined {
  const kept = Object.fromEntries(
    Object.entries(definitions).filter(([, list]) => Array.isArray(list) && list.length > 0),
  );
  return Object.keys(kept).length > 0 ? (kept as RestOpenApiDefinitions) : undefined;
}

/** The API's document after an import of these settings and definitions. */
export function importedApiDocument(
  stored: WithRestDefinitions<StoredRestApi>,
  settings: RestApiSettings,
  definitions: RestOpenApiDefinitions,
  mode: PutMode,
  at: Place,
): WithRestDefinitions<StoredRestApi> {
  const merging = mode === 'merge';
  const pick = <K extends keyof RestApiSettings>(key: K, current: RestApiSettings[K]) =>
    settings[key] !== undefined ? settings[key] : merging ? current : undefined;
  const binaryMediaTypes = merging
    ? [...new Set([...(stored.binaryMediaTypes ?? []), ...(settings.binaryMediaTypes ?? [])])]
    : (settings.binaryMediaTypes ?? []);
  const policy = settings.policy !== undefined ? policyFor(settings.policy, at, stored.id!) : undefined;
  const next: WithRestDefinitions<StoredRestApi> = {
    ...stored,
    name: settings.name ?? stored.name,
    description: pick('description', stored.description),
    version: pick('version', stored.version),
    binaryMediaTypes: binaryMediaTypes.length > 0 ? binaryMediaTypes : undefined,
    minimumCompressionSize: pick('minimumCompressionSize', stored.minimumCompressionSize),
    apiKeySource: pick('apiKeySource', stored.apiKeySource) ?? 'HEADER',
    policy: policy ?? (merging ? stored.policy : undefined),
    openApiDefinitions: withoutEmpty(definitions),
  };
  // Members left undefined are absent, as in a document CreateRestApi stores.
  return JSON.parse(JSON.stringify(next)) as WithRestDefinitions<StoredRestApi>;
}
