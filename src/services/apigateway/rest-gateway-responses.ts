/**
 * Gateway responses of REST APIs: how the API answers when API Gateway itself refuses a call (a
 * missing path, a throttle, a failed validator …). PutGatewayResponse customizes a type; Get
 * answers every type, customized or as AWS has it (`defaultResponse: true`); Delete brings a type
 * back to AWS's. Served from deployments (invoke/customized-responses.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import type { ApiDefinitions, Definitions } from './api-definitions.js';
import { BadRequestException, NotFoundException } from './errors.js';
import {
  byType,
  defaultGatewayResponse,
  effectiveGatewayResponse,
  GATEWAY_RESPONSE_TYPES,
} from './gateway-response-types.js';
import { page } from './paging.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

function customizedOf(definitions: Definitions, type: string): APIGW.GatewayResponse | undefined {
  return definitions.gatewayResponses?.find((r) => r.responseType === type);
}

function store(definitions: Definitions, response: APIGW.GatewayResponse): void {
  definitions.gatewayResponses = [
    ...(definitions.gatewayResponses ?? []).filter((r) => r.responseType !== response.responseType),
    response,
  ];
}

/** `/responseParameters/{name}` and `/responseTemplates/{type}` (`~1` for `/`). */
function mapPath(path: string): [field: 'responseParameters' | 'responseTemplates', key: string] | undefined {
  const match = /^\/(responseParameters|responseTemplates)\/(.+)$/.exec(path);
  if (!match) return undefined;
  return [
    match[1] as 'responseParameters' | 'responseTemplates',
    match[2]!.replace(/~1/g, '/').replace(/~0/g, '~'),
  ];
}

export class RestGatewayResponses {
  constructor(private readonly definitions: ApiDefinitions) {}

  put(input: APIGW.PutGatewayResponseRequest, at: Place): Promise<APIGW.GatewayResponse> {
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      const response: APIGW.GatewayResponse = {
        responseType: input.responseType,
        ...(input.statusCode !== undefined ? { statusCode: input.statusCode } : {}),
        responseParameters: input.responseParameters ?? {},
        responseTemplates: input.responseTemplates ?? {},
        defaultResponse: false,
      };
      store(definitions, response);
      return response;
    });
  }

  async get(input: APIGW.GetGatewayResponseRequest, at: Place): Promise<APIGW.GatewayResponse> {
    const definitions = await this.definitions.read(at, input.restApiId!);
    return effectiveGatewayResponse(input.responseType!, byType(definitions.gatewayResponses));
  }

  async list(input: APIGW.GetGatewayResponsesRequest, at: Place): Promise<APIGW.GatewayResponses> {
    const customized = byType((await this.definitions.read(at, input.restApiId!)).gatewayResponses);
    const all = [...GATEWAY_RESPONSE_TYPES].sort().map((type) => ({
      id: type,
      response: effectiveGatewayResponse(type, customized),
    }));
    const { items, position } = await page(input, async (after, limit) =>
      all.filter((item) => item.id > after).slice(0, limit),
    );
    return { items: items.map((item) => item.response), ...(position ? { position } : {}) };
  }

  update(input: APIGW.UpdateGatewayResponseRequest, at: Place): Promise<APIGW.GatewayResponse> {
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      const type = input.responseType!;
      // A type not customized yet starts from AWS's default.
      const base = customizedOf(definitions, type) ?? defaultGatewayResponse(type);
      const response: APIGW.GatewayResponse = {
        ...base,
        responseParameters: { ...base.responseParameters },
        responseTemplates: { ...base.responseTemplates },
        defaultResponse: false,
      };
      for (const { op, path = '', value } of input.patchOperations ?? []) {
        if (path === '/statusCode' && op === 'replace') {
          if (value === undefined || !/^[1-5]\d\d$/.test(value))
            throw new BadRequestException(`Invalid status code specified: ${value ?? ''}`);
          response.statusCode = value;
          continue;
        }
        const target = mapPath(path);
        if (!target || !['add', 'replace', 'remove'].includes(op ?? ''))
          throw new BadRequestException(`Invalid patch path ${path}`);
        const [field, key] = target;
        const map = response[field]!;
        if (op === 'remove') {
          delete map[key];
          continue;
        }
        if (op === 'replace' && !(key in map))
          throw new NotFoundException('Invalid parameter name specified');
        if (value === undefined || value === '')
          throw new BadRequestException(`Invalid null or empty value in ${field}`);
        map[key] = value;
      }
      store(definitions, response);
      return response;
    });
  }

  async delete(input: APIGW.DeleteGatewayResponseRequest, at: Place): Promise<void> {
    await this.definitions.modify(at, input.restApiId!, (definitions) => {
      if (!customizedOf(definitions, input.responseType!))
        throw new NotFoundException('Gateway response type not defined on api');
      definitions.gatewayResponses = definitions.gatewayResponses!.filter(
        (r) => r.responseType !== input.responseType,
      );
    });
  }
}
