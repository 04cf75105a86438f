/**
 * The operations on custom domain names, API mappings and tags, added to each management API's
 * provider, and the parts they and the invoke edge share (`customDomains`).
 *
 * Differences from AWS: certificates (ACM ARNs, uploaded bodies, mutual TLS trust stores) are
 * kept as given and never checked — Stratus serves plain HTTP; a domain name is unique across
 * every account and region of one Stratus (the Host header alone picks it); private domain names
 * and routing rules are not served; `regionalDomainName` / `distributionDomainName` are local
 * `*.localhost` names that reach the domain, and Route 53 zones are only named for edge domains.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import type { HttpStages } from '../http-stages.js';
import type { ApiGatewayModules } from '../provider.js';
import { ApiGatewayDefinitionsProvider, type ApiDefinitionModules } from '../provider-definitions.js';
import type { ApiGatewayV2Modules } from '../provider-v2.js';
import { ApiGatewayV2WebSocketProvider, type WebSocketModules } from '../websocket/v2-provider.js';
import { ApiMappings } from './api-mappings.js';
import { domainDirectoryOf, type DomainDirectory } from './directory.js';
import { DomainNames } from './domain-names.js';
import { CustomDomainRoute } from './domain-route.js';
import { ResourceTags } from './tags.js';

export interface CustomDomains {
  directory: DomainDirectory;
  names: DomainNames;
  mappings: ApiMappings;
  tags: ResourceTags;
  /** What the invoke edge asks about custom domains. */
  route: CustomDomainRoute;
}

export function customDomains(deps: { store: Store; clock: Clock; logger: Logger }): CustomDomains {
  const directory = domainDirectoryOf(deps);
  const names = new DomainNames(deps.store, deps.clock, directory);
  return {
    directory,
    names,
    mappings: new ApiMappings(deps.store, names),
    tags: new ResourceTags(deps.store),
    route: new CustomDomainRoute(deps.store, directory),
  };
}

export class ApiGatewayDomainsProvider extends ApiGatewayDefinitionsProvider {
  constructor(
    private readonly domains: CustomDomains,
    modules: ApiGatewayModules,
    definitions: ApiDefinitionModules,
  ) {
    super(modules, definitions);
  }

  // Custom domain names

  CreateDomainName(input: APIGW.CreateDomainNameRequest, at: RequestContext): Promise<APIGW.DomainName> {
    return this.domains.names.createV1(input, at);
  }

  GetDomainName(input: APIGW.GetDomainNameRequest, at: RequestContext): Promise<APIGW.DomainName> {
    return this.domains.names.getV1(at, input.domainName!);
  }

  GetDomainNames(input: APIGW.GetDomainNamesRequest, at: RequestContext): Promise<APIGW.DomainNames> {
    return this.domains.names.listV1(input, at);
  }

  UpdateDomainName(input: APIGW.UpdateDomainNameRequest, at: RequestContext): Promise<APIGW.DomainName> {
    return this.domains.names.updateV1(input, at);
  }

  async DeleteDomainName(input: APIGW.DeleteDomainNameRequest, at: RequestContext): Promise<object> {
    await this.domains.names.delete(at, input.domainName!, 'v1');
    return {};
  }

  // Base path mappings

  CreateBasePathMapping(
    input: APIGW.CreateBasePathMappingRequest,
    at: RequestContext,
  ): Promise<APIGW.BasePathMapping> {
    return this.domains.mappings.createBasePath(input, at);
  }

  GetBasePathMapping(
    input: APIGW.GetBasePathMappingRequest,
    at: RequestContext,
  ): Promise<APIGW.BasePathMapping> {
    return this.domains.mappings.getBasePath(input, at);
  }

  GetBasePathMappings(
    input: APIGW.GetBasePathMappingsRequest,
    at: RequestContext,
  ): Promise<APIGW.BasePathMappings> {
    return this.domains.mappings.listBasePaths(input, at);
  }

  UpdateBasePathMapping(
    input: APIGW.UpdateBasePathMappingRequest,
    at: RequestContext,
  ): Promise<APIGW.BasePathMapping> {
    return this.domains.mappings.updateBasePath(input, at);
  }

  async DeleteBasePathMapping(
    input: APIGW.DeleteBasePathMappingRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.domains.mappings.deleteBasePath(input, at);
    return {};
  }

  // Tags

  async TagResource(input: APIGW.TagResourceRequest, at: RequestContext): Promise<object> {
    await this.domains.tags.tag('v1', input.resourceArn!, input.tags ?? {}, at);
    return {};
  }

  async UntagResource(input: APIGW.UntagResourceRequest, at: RequestContext): Promise<object> {
    await this.domains.tags.untag('v1', input.resourceArn!, input.tagKeys ?? [], at);
    return {};
  }

  async GetTags(input: APIGW.GetTagsRequest, at: RequestContext): Promise<APIGW.Tags> {
    return { tags: await this.domains.tags.get('v1', input.resourceArn!, at) };
  }
}

export class ApiGatewayV2DomainsProvider extends ApiGatewayV2WebSocketProvider {
  private readonly stages: HttpStages;

  constructor(
    private readonly domains: CustomDomains,
    modules: ApiGatewayV2Modules,
    webSocket: WebSocketModules,
  ) {
    super(modules, webSocket);
    this.stages = modules.stages;
  }

  UpdateDeployment(
    input: V2.UpdateDeploymentRequest,
    at: RequestContext,
  ): Promise<V2.UpdateDeploymentResponse> {
    return this.stages.updateDeployment(input, at);
  }

  // Custom domain names

  CreateDomainName(
    input: V2.CreateDomainNameRequest,
    at: RequestContext,
  ): Promise<V2.CreateDomainNameResponse> {
    return this.domains.names.createV2(input, at);
  }

  GetDomainName(input: V2.GetDomainNameRequest, at: RequestContext): Promise<V2.GetDomainNameResponse> {
    return this.domains.names.getV2(at, input.DomainName!);
  }

  GetDomainNames(input: V2.GetDomainNamesRequest, at: RequestContext): Promise<V2.GetDomainNamesResponse> {
    return this.domains.names.listV2(input, at);
  }

  UpdateDomainName(
    input: V2.UpdateDomainNameRequest,
    at: RequestContext,
  ): Promise<V2.UpdateDomainNameResponse> {
    return this.domains.names.updateV2(input, at);
  }

  async DeleteDomainName(input: V2.DeleteDomainNameRequest, at: RequestContext): Promise<object> {
    await this.domains.names.delete(at, input.DomainName!, 'v2');
    return {};
  }

  // API mappings

  CreateApiMapping(
    input: V2.CreateApiMappingRequest,
    at: RequestContext,
  ): Promise<V2.CreateApiMappingResponse> {
    return this.domains.mappings.create(input, at);
  }

  GetApiMapping(input: V2.GetApiMappingRequest, at: RequestContext): Promise<V2.GetApiMappingResponse> {
    return this.domains.mappings.get(input, at);
  }

  GetApiMappings(input: V2.GetApiMappingsRequest, at: RequestContext): Promise<V2.GetApiMappingsResponse> {
    return this.domains.mappings.list(input, at);
  }

  UpdateApiMapping(
    input: V2.UpdateApiMappingRequest,
    at: RequestContext,
  ): Promise<V2.UpdateApiMappingResponse> {
    return this.domains.mappings.update(input, at);
  }

  async DeleteApiMapping(input: V2.DeleteApiMappingRequest, at: RequestContext): Promise<object> {
    await this.domains.mappings.delete(input, at);
    return {};
  }

  // Tags

  async TagResource(input: V2.TagResourceRequest, at: RequestContext): Promise<V2.TagResourceResponse> {
    await this.domains.tags.tag('v2', input.ResourceArn!, input.Tags ?? {}, at);
    return {};
  }

  async UntagResource(input: V2.UntagResourceRequest, at: RequestContext): Promise<object> {
    await this.domains.tags.untag('v2', input.ResourceArn!, input.TagKeys ?? [], at);
    return {};
  }

  async GetTags(input: V2.GetTagsRequest, at: RequestContext): Promise<V2.GetTagsResponse> {
    return { Tags: await this.domains.tags.get('v2', input.ResourceArn!, at) };
  }
}
