/**
 * Parameter mappings of REST API integrations: `requestParameters` of an integration
 * (`integration.request.header.X` ← `method.request.querystring.q`) and `responseParameters` of
 * an integration response (`method.response.header.X` ← `integration.response.header.Y`). A
 * source is a quoted literal (`'*'`), a method request or integration response part, a stage
 * variable, a `$context` variable or a JSONPath into a JSON body.
 */
import { selectJsonPath } from '../velocity/index.js';

/** The method request's parameters: last values by name (headers by lower-case name), and all values. */
export interface RequestParts {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
  multivaluequerystring: Record<string, string[]>;
  multivalueheader: Record<string, string[]>;
  body: string;
}

/** What a response mapping reads from the integration's answer. */
export interface ResponseParts {
  header: Record<string, string>;
  multivalueheader: Record<string, string[]>;
  body: string;
}

export interface ParameterSources {
  request?: RequestParts;
  response?: ResponseParts;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
}

function fromBody(body: string, path: string | undefined): string | undefined {
  if (path === undefined) return body;
  try {
    const selected = selectJsonPath(JSON.parse(body), `$${path.startsWith('[') ? '' : '.'}${path}`);
    if (selected === undefined || selected === null) return undefined;
    return typeof selected === 'string' ? selected : JSON.stringify(selected);
  } catch {
    return undefined;
  }
}

function fromParts(parts: RequestParts | ResponseParts, kind: string, name: string): string | undefined {
  switch (kind) {
    case 'header':
      return parts.header[name.toLowerCase()];
    case 'multivalueheader':
      return parts.multivalueheader[name.toLowerCase()]?.join(',');
    case 'path':
    case 'querystring':
      return 'path' in parts ? parts[kind][name] : undefined;
    case 'multivaluequerystring':
      return 'path' in parts ? parts.multivaluequerystring[name]?.join(',') : undefined;
    default:
      return undefined;
  }
}

function contextValue(context: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = context;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value === undefined || value === null ? undefined : String(value);
}

/** The value a mapping expression stands for, or undefined when its source is absent. */
export function parameterValue(expression: string, sources: ParameterSources): string | undefined {
  const literal = /^'(.*)'$/s.exec(expression);
  if (literal) return literal[1]!;
  const body = /^(method\.request|integration\.response)\.body(?:\.(.+))?$/.exec(expression);
  if (body) {
    const parts = body[1] === 'method.request' ? sources.request : sources.response;
    return parts ? fromBody(parts.body, body[2]) : undefined;
  }
  const part = /^(method\.request|integration\.response)\.(\w+)\.(.+)$/.exec(expression);
  if (part) {
    const parts = part[1] === 'method.request' ? sources.request : sources.response;
    return parts ? fromParts(parts, part[2]!, part[3]!) : undefined;
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(expression);
  if (stageVariable) return sources.stageVariables[stageVariable[1]!];
  const context = /^context\.(.+)$/.exec(expression);
  if (context) return contextValue(sources.context, context[1]!);
  return undefined;
}

/**
 * Applies a mapping: for each `{prefix}{kind}.{name}` target, the value of its source, grouped by
 * kind (`header`, `querystring`, `path`). Targets whose source is absent are left out.
 */
export function mapParameters(
  mappings: Record<string, string> | undefined,
  prefix: string,
  sources: ParameterSources,
): Record<string, Record<string, string>> {
  const mapped: Record<string, Record<string, string>> = {};
  for (const [target, expression] of Object.entries(mappings ?? {})) {
    if (!target.startsWith(prefix)) continue;
    const rest = target.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot === -1) continue;
    const value = parameterValue(expression, sources);
    if (value === undefined) continue;
    (mapped[rest.slice(0, dot)] ??= {})[rest.slice(dot + 1)] = value;
  }
  return mapped;
}
