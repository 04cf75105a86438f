/**
 * `$input`: the body and parameters of the request (or integration response) being mapped.
 *
 * What API Gateway does, as recorded against AWS:
 * - an empty body is `{}`, for `$input.body` and for the JSONPath functions alike;
 * - `$input.path(x)` gives the selection as values (maps print `{a=1}`, lists as JSON); nothing
 *   selected, a body that is not JSON, or a malformed path gives null, which prints nothing;
 * - `$input.json(x)` gives the selection as JSON text, and `""` (two quote characters) when there
 *   is nothing to select;
 * - `$input.params(x)` looks in the path, then the query string, then the headers, and gives `''`
 *   when x is in none of them. Header names match whatever their case.
 */
import { parseJson } from './json.js';
import { JsonPathError, queryJsonPath } from './jsonpath.js';
import { toJson } from './text.js';
import type { TemplateInput } from './types.js';
import { HostObject, jsonArray, toValue, type Value, type ValueMap } from './values.js';

export class InputObject extends HostObject {
  private document: { value: Value | undefined } | undefined;
  private parameters: ValueMap | undefined;

  constructor(private readonly input: TemplateInput) {
    super();
  }

  get body(): string {
    return this.input.body === '' ? '{}' : this.input.body;
  }

  property(name: string): Value {
    return name === 'body' ? this.body : null;
  }

  call(method: string, args: readonly Value[]): Value {
    const [arg] = args;
    switch (method) {
      case 'getBody':
        return this.body;
      case 'json':
        return typeof arg === 'string' ? this.json(arg) : null;
      case 'path':
        return typeof arg === 'string' ? (this.select(arg)?.value ?? null) : null;
      case 'params':
        if (args.length === 0) return this.params();
        return typeof arg === 'string' ? this.param(arg) : null;
      default:
        return null;
    }
  }

  /** `$input` itself prints nothing: it is a Java object with no useful text. */
  toText(): string {
    return '';
  }

  private json(path: string): string {
    const selection = this.select(path);
    return selection === undefined ? '""' : toJson(selection.value);
  }

  /** What `path` selects in the body: one value, a list for a path with wildcards, undefined for nothing. */
  private select(path: string): { value: Value } | undefined {
    this.document ??= { value: parseJson(this.body) };
    const document = this.document.value;
    if (document === undefined) return undefined;
    try {
      const { definite, matches } = queryJsonPath(document, path);
      // Everything in a template value document is a template value.
      if (!definite) return { value: jsonArray(matches as Value[]) };
      return matches.length === 0 ? undefined : { value: matches[0] as Value };
    } catch (error) {
      if (error instanceof JsonPathError) return undefined;
      throw error;
    }
  }

  private params(): ValueMap {
    this.parameters ??= new Map<string, Value>([
      ['path', toValue(this.input.params.path)],
      ['querystring', toValue(this.input.params.querystring)],
      ['header', toValue(this.input.params.header)],
    ]);
    return this.parameters;
  }

  private param(name: string): string {
    const { path, querystring, header } = this.input.params;
    if (Object.hasOwn(path, name)) return path[name] ?? '';
    if (Object.hasOwn(querystring, name)) return querystring[name] ?? '';
    const lower = name.toLowerCase();
    const headerName = Object.keys(header).find((each) => each.toLowerCase() === lower);
    return headerName === undefined ? '' : (header[headerName] ?? '');
  }
}
