/**
 * UpdateMethod, UpdateMethodResponse, UpdateIntegration and UpdateIntegrationResponse: patch
 * operations on the paths AWS documents for each, then the checks the matching Put operation
 * makes (an authorization type, a validator and models the API has, an integration URI and
 * timeout it would take).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import { BadRequestException, invalidStatusCode } from './errors.js';
import {
  AUTHORIZATION_TYPES,
  checkIntegrationUri,
  checkTimeout,
  integrationOf,
  methodOf,
  type MethodAddress,
} from './methods.js';
import { checkRequestModels } from './models.js';
import { applyPatch, type PatchRules } from './patch.js';
import { checkRequestValidator } from './request-validators.js';
import type { Resources, StoredResource } from './resources.js';
import type { StoredRestApi } from './rest-apis.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type ResponseAddress = MethodAddress & { statusCode?: string };

const replace = (target: 'string' | 'boolean' | 'number') => ({ target, ops: ['replace'] as const });

const methodRules: PatchRules = {
  '/authorizationType': replace('string'),
  '/authorizerId': replace('string'),
  '/apiKeyRequired': replace('boolean'),
  '/requestValidatorId': replace('string'),
  '/operationName': replace('string'),
  '/requestParameters/*': 'booleanMap',
  '/requestModels/*': 'map',
  '/authorizationScopes': { target: 'values', ops: ['add', 'remove'] },
};

const methodResponseRules: PatchRules = {
  '/responseParameters/*': 'booleanMap',
  '/responseModels/*': 'map',
};

const integrationRules: PatchRules = {
  '/uri': replace('string'),
  '/httpMethod': replace('string'),
  '/credentials': replace('string'),
  '/passthroughBehavior': replace('string'),
  '/contentHandling': replace('string'),
  '/timeoutInMillis': replace('number'),
  '/connectionType': replace('string'),
  '/connectionId': replace('string'),
  '/cacheNamespace': replace('string'),
  '/tlsConfig/insecureSkipVerification': replace('boolean'),
  '/requestParameters/*': 'map',
  '/requestTemplates/*': 'map',
  '/cacheKeyParameters/*': { target: 'list', ops: ['add', 'remove'] },
};

const integrationResponseRules: PatchRules = {
  '/selectionPattern': replace('string'),
  '/contentHandling': replace('string'),
  '/responseParameters/*': 'map',
  '/responseTemplates/*': 'map',
};

const PASSTHROUGH_BEHAVIORS = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLINGS = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

function checkContentHandling(value: string | undefined): void {
  if (value !== undefined && !CONTENT_HANDLINGS.includes(value)) {
    throw new BadRequestException(
      `Invalid content handling specified. Valid options are ${CONTENT_HANDLINGS.join(',')}`,
    );
  }
}

/** An emptied identifier (`replace` with `''`) is no identifier. */
function dropEmpty<T extends object>(document: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) if (document[key] === '') delete document[key];
  return document;
}

export class MethodUpdates {
  constructor(private readonly resources: Resources) {}

  updateMethod(input: APIGW.UpdateMethodRequest, at: Place): Promise<APIGW.Method> {
    return this.modify(input, at, (resource, api) => {
      const method = dropEmpty(
        applyPatch(methodOf(resource, input.httpMethod!), input.patchOperations ?? [], methodRules),
        ['authorizerId', 'requestValidatorId', 'operationName'],
      );
      if (!AUTHORIZATION_TYPES.includes(method.authorizationType ?? '')) {
        throw new BadRequestException(
          `Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`,
        );
      }
      checkRequestValidator(api, method.requestValidatorId);
      checkRequestModels(api, method.requestModels);
      resource.resourceMethods![input.httpMethod!] = method;
      return method;
    });
  }

  updateMethodResponse(input: APIGW.UpdateMethodResponseRequest, at: Place): Promise<APIGW.MethodResponse> {
    return this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      const existing = method.methodResponses?.[input.statusCode!];
      if (!existing) throw invalidStatusCode();
      const response = applyPatch(existing, input.patchOperations ?? [], methodResponseRules);
      method.methodResponses![input.statusCode!] = response;
      return response;
    });
  }

  updateIntegration(input: APIGW.UpdateIntegrationRequest, at: Place): Promise<APIGW.Integration> {
    return this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      const integration = dropEmpty(
        applyPatch(integrationOf(resource, input.httpMethod!), input.patchOperations ?? [], integrationRules),
        ['credentials', 'connectionId'],
      );
      const type = integration.type!;
      if (type !== 'MOCK' && !integration.httpMethod) {
        throw new BadRequestException('Enumeration value for HttpMethod must be non-empty');
      }
      checkIntegrationUri(type, integration.uri);
      checkTimeout(integration.timeoutInMillis ?? 29_000);
      if (!PASSTHROUGH_BEHAVIORS.includes(integration.passthroughBehavior ?? 'WHEN_NO_MATCH')) {
        throw new BadRequestException(
          `Invalid passthrough behavior specified. Valid options are ${PASSTHROUGH_BEHAVIORS.join(',')}`,
        );
      }
      checkContentHandling(integration.contentHandling);
      method.methodIntegration = integration;
      return integration;
    });
  }

  updateIntegrationResponse(
    input: APIGW.UpdateIntegrationResponseRequest,
    at: Place,
  ): Promise<APIGW.IntegrationResponse> {
    return this.modify(input, at, (resource) => {
      const integration = integrationOf(resource, input.httpMethod!);
      const existing = integration.integrationResponses?.[input.statusCode!];
      if (!existing) throw invalidStatusCode();
      const response = applyPatch(existing, input.patchOperations ?? [], integrationResponseRules);
      checkContentHandling(response.contentHandling);
      integration.integrationResponses![input.statusCode!] = response;
      return response;
    });
  }

  private modify<T>(
    input: ResponseAddress,
    at: Place,
    change: (resource: StoredResource, api: StoredRestApi) => T,
  ): Promise<T> {
    return this.resources.modify(at, input.restApiId!, input.resourceId!, change);
  }
}
