/**
 * Models as JSON Schema draft 4, the dialect API Gateway's models are written in: whether a
 * schema is one (CreateModel, UpdateModel), which of a route's `RequestModels` a message is
 * checked against (its `ModelSelectionExpression`, with `$default` as the fallback), and whether
 * the message fits.
 *
 * A schema that cannot be compiled (a `$ref` to another model, which is not resolved) checks
 * nothing: the message goes on.
 */
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import { BoundedMap } from '../../../engine/bounded-map.js';
import { evaluateSelection, messageVariables } from './selection.js';

const options = { strict: false, allErrors: false } as const;
const ajv = new Ajv.default(options);
const CACHED_VALIDATORS = 500;
const compiled = new BoundedMap<string, ValidateFunction | undefined>(CACHED_VALIDATORS);

/** Why `text` is not a draft-4 schema, or undefined when it is one. */
export function schemaProblem(text: string): string | undefined {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    return 'the schema is not JSON';
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return 'the schema is not a JSON object';
  }
  return ajv.validateSchema(schema) ? undefined : ajv.errorsText(ajv.errors);
}

/**
 * The name of the model a message is checked against; `null` when the route names none for it
 * (neither its key nor `$default`), which fails validation; undefined when the route validates
 * nothing (it has no model selection expression).
 */
export function modelFor(
  route: { ModelSelectionExpression?: string; RequestModels?: Record<string, string> },
  message: string | undefined,
): string | null | undefined {
  if (!route.ModelSelectionExpression) return undefined;
  const models = route.RequestModels ?? {};
  const key = evaluateSelection(route.ModelSelectionExpression, messageVariables(message));
  return (key !== undefined ? models[key] : undefined) ?? models['$default'] ?? null;
}

/** Whether a text message is JSON that fits the schema (a binary message never is). */
export function fitsModel(schemaText: string, message: string | undefined): boolean {
  const validate = validatorOf(schemaText);
  if (!validate) return true;
  if (message === undefined) return false;
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return false;
  }
  return validate(body);
}

function validatorOf(schemaText: string): ValidateFunction | undefined {
  if (compiled.has(schemaText)) return compiled.get(schemaText);
  let validate: ValidateFunction | undefined;
  try {
    // An instance of its own: Ajv keeps compiled schemas by their `id`, which models may share.
    validate = new Ajv.default(options).compile(JSON.parse(schemaText) as object);
  } catch {
    validate = undefined;
  }
  compiled.set(schemaText, validate);
  return validate;
}
