/**
 * API Gateway's mapping-template engine: Apache Velocity (as 1.7, the version API Gateway runs)
 * with `$input`, `$util`, `$context` and `$stageVariables`, for REST API `AWS`/`HTTP` integrations.
 * A pure module: text and values in, text out.
 *
 *   const template = parseTemplate(text);             // throws TemplateError
 *   const body = renderTemplate(template, { input, context, stageVariables });
 *
 * Where it differs from stock Velocity, API Gateway's recorded behaviour wins: a null reference
 * prints nothing (`nullReferences: 'source'` gives Velocity's `$name`), `null == ""` is true, an
 * empty body reads as `{}`. Where it differs from API Gateway:
 * - `\$name` prints `$name` even when `$name` is null (Velocity keeps the backslash then);
 * - macro arguments are passed by value (Velocity re-evaluates them at each use);
 * - map literals keep insertion order (Velocity 1.7's are HashMaps, in hash order);
 * - `split` gives a list, which prints as one (Java's array prints as `[Ljava.lang.String;@…`);
 * - Java regexes run on JavaScript's engine (see java-regex.ts for what is translated or refused);
 * - runaway templates are stopped by the limits in RenderOptions, with TemplateError.
 */
import type { Template } from './ast.js';
import { Renderer } from './renderer.js';
import type { RenderOptions, TemplateResult, TemplateVariables } from './types.js';

export type { Template } from './ast.js';
export { TemplateError } from './errors.js';
export { JsonPathError, selectJsonPath } from './jsonpath.js';
export { parseTemplate } from './template-parser.js';
export {
  defaultLimits,
  type RenderLimits,
  type RenderOptions,
  type TemplateInput,
  type TemplateResult,
  type TemplateVariables,
} from './types.js';

/** The template's output. Throws TemplateError only when a limit is exceeded. */
export function renderTemplate(
  template: Template,
  variables: TemplateVariables,
  options: RenderOptions = {},
): string {
  return evaluateTemplate(template, variables, options).output;
}

/** The template's output and `$context` as the template left it (request and response overrides). */
export function evaluateTemplate(
  template: Template,
  variables: TemplateVariables,
  options: RenderOptions = {},
): TemplateResult {
  return new Renderer(template, variables, options).run();
}
