/**
 * Request validators at work: a method that names one of its deployment's validators has its
 * required request parameters (`method.request.querystring.x: true` …) checked to be present and
 * not blank, and its body checked against the model its `requestModels` name for the request's
 * content type (`$default` for any; no model, no check). A failure is AWS's `400` —
 * `Missing required request parameters: [a, b]` (BAD_REQUEST_PARAMETERS) or `Invalid request
 * body` (BAD_REQUEST_BODY) — and the integration does not run.
 *
 * The deployment's models are compiled with ajv (JSON Schema draft 4) when a body is first checked
 * against each, and kept with the compiled deployment: a deployment never changes.
 */
import type { Method, RequestValidator } from '@aws-sdk/client-api-gateway';
import type { ValidateFunction } from 'ajv';
import { definitionsOf } from '../api-definitions.js';
import type { RestSnapshot } from '../deployments.js';
import { modelUri, schemaValidator, type SchemaValidator } from '../model-schemas.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { badRequestBody, badRequestParameters, type GatewayAnswer } from './gateway-responses.js';
import { mediaType } from './media-types.js';
import { parameterValue, type RequestParts } from './parameters.js';
import { lastHeader } from './request-parts.js';
import { requestParts } from './rest-integrations.js';

const PARAMETER = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/;

/** The names of the required parameters a request lacks or leaves blank, by parameter in name order. */
export function missingParameters(method: Method, request: RequestParts): string[] {
  const missing: string[] = [];
  for (const [expression, required] of Object.entries(method.requestParameters ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const match = PARAMETER.exec(expression);
    if (!required || !match) continue;
    const value = parameterValue(expression, { request, stageVariables: {}, context: {} });
    if (value === undefined || value === '') missing.push(match[2]!);
  }
  return missing;
}

/** The model for a request of this content type: its own, else `$default`'s. */
export function modelFor(method: Method, contentType: string | undefined): string | undefined {
  const models = method.requestModels ?? {};
  return models[mediaType(contentType) || 'application/json'] ?? models['$default'];
}

export class RequestValidation {
  private readonly validators: Map<string, RequestValidator>;
  private compiler: SchemaValidator | undefined;
  /** Compiled models by name; null for one that does not compile (every body fails it). */
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(private readonly snapshot: RestSnapshot) {
    const { requestValidators } = definitionsOf(snapshot.api);
    this.validators = new Map((requestValidators ?? []).map((v) => [v.id!, v]));
  }

  /** The refusal for a call its method's validator does not let through; undefined to go on. */
  check(method: Method, call: ApiCall, route: RouteMatch): GatewayAnswer | undefined {
    if (!method.requestValidatorId) return undefined;
    const validator = this.validators.get(method.requestValidatorId);
    if (!validator) return undefined;
    if (validator.validateRequestParameters) {
      const missing = missingParameters(method, requestParts(call, route));
      if (missing.length > 0) return badRequestParameters(call.requestId, missing);
    }
    if (validator.validateRequestBody) {
      const model = modelFor(method, lastHeader(call.headers, 'content-type'));
      if (model === undefined) return undefined;
      const errors = this.bodyErrors(model, call.body);
      if (errors !== undefined) return badRequestBody(call.requestId, errors);
    }
    return undefined;
  }

  /** Why the body does not match the model (ajv's messages), or undefined when it does. */
  private bodyErrors(model: string, body: Buffer): string[] | undefined {
    const validate = this.validatorOf(model);
    if (!validate) return [`model ${model} cannot be used for validation`];
    let value: unknown;
    try {
      // An empty body is checked as an empty object.
      value = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return ['body is not valid JSON'];
    }
    if (validate(value)) return undefined;
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  }

  private validatorOf(model: string): ValidateFunction | null {
    let validate = this.compiled.get(model);
    if (validate !== undefined) return validate;
    try {
      validate = this.compilerOf().getSchema(modelUri(this.snapshot.api.id!, model)) ?? null;
    } catch {
      // A reference to a model the deployment lacks.
      validate = null;
    }
    this.compiled.set(model, validate);
    return validate;
  }

  /** One ajv instance for the deployment, knowing every model by its canonical URI. */
  private compilerOf(): SchemaValidator {
    if (this.compiler) return this.compiler;
    const compiler = schemaValidator(true);
    for (const model of definitionsOf(this.snapshot.api).models ?? []) {
      try {
        compiler.addSchema(
          JSON.parse(model.schema ?? '{}') as object,
          modelUri(this.snapshot.api.id!, model.name!),
        );
      } catch {
        // A schema ajv refuses is left out; bodies checked against it fail.
      }
    }
    this.compiler = compiler;
    return compiler;
  }
}
