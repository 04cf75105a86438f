/**
 * API Gateway v2's VPC links (vpc-links/vpc-links.ts), added to the v2 provider chain.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { RequestContext } from '../service.js';
import { ApiGatewayV2DomainsProvider, type CustomDomains } from './domains/provider.js';
import type { ApiGatewayV2Modules } from './provider-v2.js';
import type { VpcLinks } from './vpc-links/vpc-links.js';
import type { WebSocketModules } from './websocket/v2-provider.js';

export class ApiGatewayV2ExtrasProvider extends ApiGatewayV2DomainsProvider {
  constructor(
    private readonly vpcLinks: VpcLinks,
    domains: CustomDomains,
    modules: ApiGatewayV2Modules,
    webSocket: WebSocketModules,
  ) {
    super(domains, modules, webSocket);
  }

  CreateVpcLink(input: V2.CreateVpcLinkRequest, at: RequestContext): Promise<V2.CreateVpcLinkResponse> {
    return this.vpcLinks.createV2(input, at);
  }

  GetVpcLink(input: V2.GetVpcLinkRequest, at: RequestContext): Promise<V2.GetVpcLinkResponse> {
    return this.vpcLinks.getV2(at, input.VpcLinkId!);
  }

  GetVpcLinks(input: V2.GetVpcLinksRequest, at: RequestContext): Promise<V2.GetVpcLinksResponse> {
    return this.vpcLinks.listV2(input, at);
  }

  UpdateVpcLink(input: V2.UpdateVpcLinkRequest, at: RequestContext): Promise<V2.UpdateVpcLinkResponse> {
    return this.vpcLinks.updateV2(input, at);
  }

  async DeleteVpcLink(input: V2.DeleteVpcLinkRequest, at: RequestContext): Promise<V2.DeleteVpcLinkResponse> {
    await this.vpcLinks.deleteV2(at, input.VpcLinkId!);
    return {};
  }
}
