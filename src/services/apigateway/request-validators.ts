/**
 * Request validators of REST APIs: whether a method that names one (`requestValidatorId`) has
 * its required request parameters and its body checked before the integration runs
 * (invoke/request-validation.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import { definitionsOf, type ApiDefinitions, type Definitions } from './api-definitions.js';
import { BadRequestException, NotFoundException } from './errors.js';
import { childId } from './ids.js';
import { page } from './paging.js';
import type { StoredRestApi } from './rest-apis.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const invalidValidator = () => new NotFoundException('Invalid Request Validator identifier specified');

function validatorOf(definitions: Definitions, id: string): APIGW.RequestValidator {
  const validator = definitions.requestValidators?.find((v) => v.id === id);
  if (!validator) throw invalidValidator();
  return validator;
}

const FLAGS = ['/validateRequestBody', '/validateRequestParameters'];

export class RequestValidators {
  constructor(private readonly definitions: ApiDefinitions) {}

  create(input: APIGW.CreateRequestValidatorRequest, at: Place): Promise<APIGW.RequestValidator> {
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      const validator: APIGW.RequestValidator = {
        id: childId(),
        ...(input.name !== undefined ? { name: input.name } : {}),
        validateRequestBody: input.validateRequestBody ?? false,
        validateRequestParameters: input.validateRequestParameters ?? false,
      };
      definitions.requestValidators = [...(definitions.requestValidators ?? []), validator];
      return validator;
    });
  }

  async get(input: APIGW.GetRequestValidatorRequest, at: Place): Promise<APIGW.RequestValidator> {
    return validatorOf(await this.definitions.read(at, input.restApiId!), input.requestValidatorId!);
  }

  async list(input: APIGW.GetRequestValidatorsRequest, at: Place): Promise<APIGW.RequestValidators> {
    const definitions = await this.definitions.read(at, input.restApiId!);
    const all = [...(definitions.requestValidators ?? [])].sort((a, b) =>
      a.id! < b.id! ? -1 : 1,
    ) as (APIGW.RequestValidator & { id: string })[];
    const { items, position } = await page(input, async (after, limit) =>
      all.filter((v) => v.id > after).slice(0, limit),
    );
    return { items, ...(position ? { position } : {}) };
  }

  update(input: APIGW.UpdateRequestValidatorRequest, at: Place): Promise<APIGW.RequestValidator> {
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      const validator = { ...validatorOf(definitions, input.requestValidatorId!) };
      for (const { op, path, value } of input.patchOperations ?? []) {
        if (op !== 'replace') {
          throw new BadRequestException(
            `Invalid patch path  '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
          );
        }
        if (path === '/name') {
          if (!value) throw new BadRequestException('Request Validator name cannot be blank');
          validator.name = value;
        } else if (path && FLAGS.includes(path)) {
          const flag = value?.toLowerCase() === 'true';
          if (path === '/validateRequestBody') validator.validateRequestBody = flag;
          else validator.validateRequestParameters = flag;
        } else {
          throw new BadRequestException(
            `Invalid patch path  '${path ?? ''}' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]`,
          );
        }
      }
      definitions.requestValidators = definitions.requestValidators!.map((v) =>
        v.id === validator.id ? validator : v,
      );
      return validator;
    });
  }

  async delete(input: APIGW.DeleteRequestValidatorRequest, at: Place): Promise<void> {
    await this.definitions.modify(at, input.restApiId!, (definitions) => {
      validatorOf(definitions, input.requestValidatorId!);
      definitions.requestValidators = definitions.requestValidators!.filter(
        (v) => v.id !== input.requestValidatorId,
      );
    });
  }
}

/** A method's validator must be the API's (PutMethod, UpdateMethod). */
export function checkRequestValidator(api: StoredRestApi, id: string | undefined): void {
  if (!id) return;
  if (!definitionsOf(api).requestValidators?.some((v) => v.id === id)) {
    throw new BadRequestException('Invalid Request Validator identifier specified');
  }
}
