/**
 * The authorizers a document's security schemes declare, made with the authorizers module's
 * CreateAuthorizer, inside the import's transaction. The plan names them by ids of its own; what
 * is returned maps those to the ids the authorizers got, for the methods and routes.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { isServiceError } from '../../../protocol/errors.js';
import type { RequestContext } from '../../service.js';
import type { HttpAuthorizers, RestAuthorizers } from '../authorizers.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/**
 * REST APIs. Overwrite replaces every authorizer; merge keeps an authorizer of the same name (and
 * the methods the import leaves alone, which name it). A refused one is an error of the import.
 */
export async function applyRestAuthorizers(
  authorizers: RestAuthorizers,
  at: Place,
  restApiId: string,
  planned: readonly APIGW.Authorizer[],
  mode: 'merge' | 'overwrite',
  errors: string[],
): Promise<Map<string, string>> {
  const existing = (await authorizers.list({ restApiId }, at)).items ?? [];
  if (mode === 'overwrite') {
    for (const authorizer of existing)
      await authorizers.delete({ restApiId, authorizerId: authorizer.id }, at);
  }
  const ids = new Map<string, string>();
  for (const { id: plannedId, ...settings } of planned) {
    const kept = mode === 'merge' ? existing.find((a) => a.name === settings.name) : undefined;
    if (kept) {
      ids.set(plannedId!, kept.id!);
      continue;
    }
    try {
      const created = await authorizers.create(
        { restApiId, ...settings, name: settings.name!, type: settings.type! },
        at,
      );
      ids.set(plannedId!, created.id!);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      errors.push(`Unable to create Authorizer '${settings.name}': ${error.message}`);
    }
  }
  return ids;
}

/**
 * HTTP APIs, whose API is new or emptied for a reimport. AWS takes an authorizer it cannot create
 * as a warning, and the routes that name it go without.
 */
export async function applyHttpAuthorizers(
  authorizers: HttpAuthorizers,
  at: Place,
  apiId: string,
  planned: readonly V2.Authorizer[],
  warnings: string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { AuthorizerId: plannedId, ...settings } of planned) {
    try {
      const created = await authorizers.create(
        {
          ApiId: apiId,
          ...settings,
          Name: settings.Name!,
          AuthorizerType: settings.AuthorizerType!,
          IdentitySource: settings.IdentitySource ?? [],
        },
        at,
      );
      ids.set(plannedId!, created.AuthorizerId!);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      warnings.push(`Unable to create Authorizer '${settings.Name}': ${error.message}`);
    }
  }
  return ids;
}
