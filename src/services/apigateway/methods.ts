/**
 * Methods of a resource, their integrations, method responses and integration responses — all
 * kept inside the resource's row (resources.ts), as `resourceMethods[httpMethod]`.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import {
  BadRequestException,
  ConflictException,
  invalidIntegration,
  invalidMethod,
  invalidStatusCode,
} from './errors.js';
import { checkRequestModels } from './models.js';
import { checkRequestValidator } from './request-validators.js';
import type { Resources, StoredResource } from './resources.js';
import type { StoredRestApi } from './rest-apis.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
export const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
const INTEGRATION_TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'];
const MIN_TIMEOUT_MS = 50;
const MAX_TIMEOUT_MS = 29_000;
const STATUS_CODE = /^[1-5]\d\d$/;

export interface MethodAddress {
  restApiId?: string;
  resourceId?: string;
  httpMethod?: string;
}

export function methodOf(resource: StoredResource, httpMethod: string): APIGW.Method {
  const method = resource.resourceMethods?.[httpMethod];
  if (!method) throw invalidMethod();
  return method;
}

export function integrationOf(resource: StoredResource, httpMethod: string): APIGW.Integration {
  const integration = methodOf(resource, httpMethod).methodIntegration;
  if (!integration) throw invalidIntegration();
  return integration;
}

function checkStatusCode(statusCode: string): void {
  if (!STATUS_CODE.test(statusCode)) throw new BadRequestException('Invalid status code specified');
}

/** `arn:aws:apigateway:{region}:{service}:path/…` or `…:action/…`, as AWS integrations name their target. */
export function checkIntegrationUri(type: string, uri: string | undefined): void {
  if (type === 'MOCK') return;
  if (!uri) throw new BadRequestException('Invalid integration URI specified');
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    if (!/^https?:\/\/[^/\s]+/.test(uri))
      throw new BadRequestException('Invalid HTTP endpoint specified for URI');
    return;
  }
  if (!/^arn:aws[\w-]*:apigateway:[^:]+:[^:]+:(path|action)\/.+/.test(uri)) {
    throw new BadRequestException('AWS ARN for integration must contain path or action');
  }
}

export function checkTimeout(timeout: number): void {
  if (timeout < MIN_TIMEOUT_MS || timeout > MAX_TIMEOUT_MS) {
    throw new BadRequestException(`Timeout should be between ${MIN_TIMEOUT_MS} ms and ${MAX_TIMEOUT_MS} ms`);
  }
}

export class Methods {
  constructor(private readonly resources: Resources) {}

  put(input: APIGW.PutMethodRequest, at: Place): Promise<APIGW.Method> {
    const httpMethod = input.httpMethod!;
    if (!HTTP_METHODS.includes(httpMethod)) {
      throw new BadRequestException(
        'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
      );
    }
    if (!AUTHORIZATION_TYPES.includes(input.authorizationType!)) {
      throw new BadRequestException(
        `Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`,
      );
    }
    return this.modify(input, at, (resource, api) => {
      if (resource.resourceMethods?.[httpMethod])
        throw new ConflictException('Method already exists for this resource');
      checkRequestValidator(api, input.requestValidatorId);
      checkRequestModels(api, input.requestModels);
      const method: APIGW.Method = {
        httpMethod,
        authorizationType: input.authorizationType,
        apiKeyRequired: input.apiKeyRequired ?? false,
        ...(input.authorizerId !== undefined ? { authorizerId: input.authorizerId } : {}),
        ...(input.requestValidatorId !== undefined ? { requestValidatorId: input.requestValidatorId } : {}),
        ...(input.operationName !== undefined ? { operationName: input.operationName } : {}),
        ...(input.requestParameters ? { requestParameters: input.requestParameters } : {}),
        ...(input.requestModels ? { requestModels: input.requestModels } : {}),
        ...(input.authorizationScopes ? { authorizationScopes: input.authorizationScopes } : {}),
      };
      resource.resourceMethods = { ...resource.resourceMethods, [httpMethod]: method };
      return method;
    });
  }

  async get(input: MethodAddress, at: Place): Promise<APIGW.Method> {
    return methodOf(await this.read(input, at), input.httpMethod!);
  }

  async delete(input: MethodAddress, at: Place): Promise<void> {
    await this.modify(input, at, (resource) => {
      methodOf(resource, input.httpMethod!);
      delete resource.resourceMethods![input.httpMethod!];
    });
  }

  putIntegration(input: APIGW.PutIntegrationRequest, at: Place): Promise<APIGW.Integration> {
    const type = input.type!;
    if (!INTEGRATION_TYPES.includes(type)) {
      throw new BadRequestException(
        `Invalid integration type specified. Valid options are ${INTEGRATION_TYPES.join(',')}`,
      );
    }
    if (type !== 'MOCK' && !input.integrationHttpMethod) {
      throw new BadRequestException('Enumeration value for HttpMethod must be non-empty');
    }
    checkIntegrationUri(type, input.uri);
    const timeout = input.timeoutInMillis ?? MAX_TIMEOUT_MS;
    checkTimeout(timeout);
    return this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      const integration: APIGW.Integration = {
        type,
        ...(input.integrationHttpMethod ? { httpMethod: input.integrationHttpMethod } : {}),
        ...(input.uri !== undefined ? { uri: input.uri } : {}),
        ...(input.credentials !== undefined ? { credentials: input.credentials } : {}),
        ...(input.requestParameters ? { requestParameters: input.requestParameters } : {}),
        ...(input.requestTemplates ? { requestTemplates: input.requestTemplates } : {}),
        passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
        ...(input.contentHandling ? { contentHandling: input.contentHandling } : {}),
        connectionType: input.connectionType ?? 'INTERNET',
        ...(input.connectionId ? { connectionId: input.connectionId } : {}),
        timeoutInMillis: timeout,
        cacheNamespace: input.cacheNamespace ?? resource.id,
        cacheKeyParameters: input.cacheKeyParameters ?? [],
        ...(method.methodIntegration?.integrationResponses
          ? { integrationResponses: method.methodIntegration.integrationResponses }
          : {}),
      };
      method.methodIntegration = integration;
      return integration;
    });
  }

  async getIntegration(input: MethodAddress, at: Place): Promise<APIGW.Integration> {
    return integrationOf(await this.read(input, at), input.httpMethod!);
  }

  async deleteIntegration(input: MethodAddress, at: Place): Promise<void> {
    await this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      if (!method.methodIntegration) throw invalidIntegration();
      delete method.methodIntegration;
    });
  }

  putMethodResponse(input: APIGW.PutMethodResponseRequest, at: Place): Promise<APIGW.MethodResponse> {
    checkStatusCode(input.statusCode!);
    return this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      const response: APIGW.MethodResponse = {
        statusCode: input.statusCode,
        ...(input.responseParameters ? { responseParameters: input.responseParameters } : {}),
        ...(input.responseModels ? { responseModels: input.responseModels } : {}),
      };
      method.methodResponses = { ...method.methodResponses, [input.statusCode!]: response };
      return response;
    });
  }

  async getMethodResponse(
    input: MethodAddress & { statusCode?: string },
    at: Place,
  ): Promise<APIGW.MethodResponse> {
    const method = methodOf(await this.read(input, at), input.httpMethod!);
    const response = method.methodResponses?.[input.statusCode!];
    if (!response) throw invalidStatusCode();
    return response;
  }

  async deleteMethodResponse(input: MethodAddress & { statusCode?: string }, at: Place): Promise<void> {
    await this.modify(input, at, (resource) => {
      const method = methodOf(resource, input.httpMethod!);
      if (!method.methodResponses?.[input.statusCode!]) throw invalidStatusCode();
      delete method.methodResponses[input.statusCode!];
    });
  }

  putIntegrationResponse(
    input: APIGW.PutIntegrationResponseRequest,
    at: Place,
  ): Promise<APIGW.IntegrationResponse> {
    checkStatusCode(input.statusCode!);
    return this.modify(input, at, (resource) => {
      const integration = integrationOf(resource, input.httpMethod!);
      const response: APIGW.IntegrationResponse = {
        statusCode: input.statusCode,
        ...(input.selectionPattern !== undefined ? { selectionPattern: input.selectionPattern } : {}),
        ...(input.responseParameters ? { responseParameters: input.responseParameters } : {}),
        ...(input.responseTemplates ? { responseTemplates: input.responseTemplates } : {}),
        ...(input.contentHandling ? { contentHandling: input.contentHandling } : {}),
      };
      integration.integrationResponses = {
        ...integration.integrationResponses,
        [input.statusCode!]: response,
      };
      return response;
    });
  }

  async getIntegrationResponse(
    input: MethodAddress & { statusCode?: string },
    at: Place,
  ): Promise<APIGW.IntegrationResponse> {
    const integration = integrationOf(await this.read(input, at), input.httpMethod!);
    const response = integration.integrationResponses?.[input.statusCode!];
    if (!response) throw invalidStatusCode();
    return response;
  }

  async deleteIntegrationResponse(input: MethodAddress & { statusCode?: string }, at: Place): Promise<void> {
    await this.modify(input, at, (resource) => {
      const integration = integrationOf(resource, input.httpMethod!);
      if (!integration.integrationResponses?.[input.statusCode!]) throw invalidStatusCode();
      delete integration.integrationResponses[input.statusCode!];
    });
  }

  private read(input: MethodAddress, at: Place): Promise<StoredResource> {
    return this.resources.read(at, input.restApiId!, input.resourceId!);
  }

  private modify<T>(
    input: MethodAddress,
    at: Place,
    change: (resource: StoredResource, api: StoredRestApi) => T,
  ): Promise<T> {
    return this.resources.modify(at, input.restApiId!, input.resourceId!, change);
  }
}
