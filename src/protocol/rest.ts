/**
 * The HTTP bindings shared by `rest-json` and `rest-xml`: operations are found by method and
 * request-URI template (`/2015-03-31/functions/{FunctionName}/invocations`, `/{Bucket}/{Key+}?uploads`),
 * and members travel in the URI, the query string, headers or the body as the model says.
 */
import type { Operation, ServiceModel, Shape, ShapeRef } from './model.js';
import { readScalar } from './xml.js';
import { formatTimestamp } from './timestamps.js';
import type { OperationMatch, WireRequest } from './wire.js';

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: Operation;
  method: string;
  segments: Segment[];
  /** Query parameters the URI template requires (`?uploads`, `?x-id=GetObject`). */
  requiredQuery: [string, string | undefined][];
  /** Lower-case headers the operation requires to be told apart (`x-amz-copy-source`). */
  requiredHeaders: string[];
  specificity: number;
}

const routeCache = new WeakMap<ServiceModel, Route[]>();

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function compileRoute(operation: Operation): Route {
  const [pathPart = '/', queryPart] = operation.http.requestUri.split('?');
  const segments: Segment[] = trimSlash(pathPart)
    .split('/')
    .slice(1)
    .map((raw) => {
      const label = /^\{([^}]+?)(\+)?\}$/.exec(raw);
      return label ? { label: label[1]!, greedy: label[2] === '+' } : { literal: raw };
    });
  const requiredQuery = (queryPart ? queryPart.split('&') : []).map((pair): [string, string | undefined] => {
    const [name, value] = pair.split('=');
    return [name!, value];
  });
  const literals = segments.filter((s) => 'literal' in s).length;
  const greedy = segments.some((s) => 'greedy' in s && s.greedy);
  const requiredHeaders = (operation.http.requiredHeaders ?? []).map((h) => h.toLowerCase());
  return {
    operation,
    method: operation.http.method,
    segments,
    requiredQuery,
    requiredHeaders,
    specificity:
      literals * 100 +
      (requiredQuery.length + requiredHeaders.length) * 10 +
      segments.length -
      (greedy ? 50 : 0),
  };
}

function routesOf(model: ServiceModel): Route[] {
  let routes = routeCache.get(model);
  if (!routes) {
    routes = Object.values(model.operations)
      .map((op, i) => compileRoute({ ...op, name: op.name ?? Object.keys(model.operations)[i] }))
      .sort((a, b) => b.specificity - a.specificity);
    routeCache.set(model, routes);
  }
  return routes;
}

/**
 * `parts`: the path's segments without a trailing slash; `raw`: with it, for a greedy label, whose
 * value keeps it (an S3 key `photos/` is a key, not `photos`).
 */
function matchSegments(route: Route, parts: string[], raw: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if ('literal' in segment) {
      if (parts[i] !== segment.literal) return undefined;
    } else if (segment.greedy) {
      const rest = raw.slice(i).join('/');
      if (rest === '') return undefined;
      labels[segment.label] = decodeURIComponent(rest);
      return labels;
    } else {
      if (parts[i] === undefined || parts[i] === '') return undefined;
      labels[segment.label] = decodeURIComponent(parts[i]!);
    }
  }
  return parts.length === route.segments.length ? labels : undefined;
}

export function matchRestOperation(model: ServiceModel, request: WireRequest): OperationMatch | undefined {
  const parts = trimSlash(request.path).split('/').slice(1);
  const raw = request.path.split('/').slice(1);
  for (const route of routesOf(model)) {
    if (route.method !== request.method) continue;
    const query = request.query;
    if (
      !route.requiredQuery.every(
        ([name, value]) => name in query && (value === undefined || query[name]![0] === value),
      )
    )
      continue;
    if (!route.requiredHeaders.every((name) => name in request.headers)) continue;
    const labels = matchSegments(route, parts, raw);
    if (labels) return { operation: route.operation, labels };
  }
  return undefined;
}

/** Input members bound to the URI, the query string and headers. */
export function readBoundMembers(
  model: ServiceModel,
  shape: Shape,
  match: OperationMatch,
  request: WireRequest,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const boundQueryNames = new Set<string>();
  for (const member of Object.values(shape.members ?? {})) {
    if (member.location === 'querystring') boundQueryNames.add(member.locationName ?? '');
  }
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = readBoundMember(model, member, match, request, boundQueryNames);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function readBoundMember(
  model: ServiceModel,
  member: ShapeRef,
  match: OperationMatch,
  request: WireRequest,
  boundQueryNames: Set<string>,
): unknown {
  const shape = model.shapes[member.shape] as Shape;
  const wireName = member.locationName ?? '';
  switch (member.location) {
    case 'uri': {
      const raw = match.labels?.[wireName];
      return raw === undefined ? undefined : readScalar(shape, raw);
    }
    case 'querystring': {
      if (shape.type === 'map') {
        const out: Record<string, unknown> = {};
        for (const [name, values] of Object.entries(request.query)) {
          if (boundQueryNames.has(name)) continue;
          out[name] = model.shapes[shape.value!.shape]!.type === 'list' ? values : values[0];
        }
        return out;
      }
      const values = request.query[wireName];
      if (!values) return undefined;
      if (shape.type === 'list') return values.map((v) => readScalar(model.shapes[shape.member!.shape]!, v));
      return readScalar(shape, values[0]);
    }
    case 'header': {
      const raw = request.headers[wireName.toLowerCase()];
      if (raw === undefined) return undefined;
      if (member.jsonvalue) return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
      if (shape.type === 'list') {
        return raw.split(',').map((v) => readScalar(model.shapes[shape.member!.shape]!, v.trim()));
      }
      return readScalar(shape, raw);
    }
    case 'headers': {
      const prefix = wireName.toLowerCase();
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Output members bound to the status code and headers. */
export function writeBoundMembers(
  model: ServiceModel,
  shape: Shape,
  output: Record<string, unknown>,
): { status?: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = output[name];
    if (value === undefined || value === null) continue;
    const memberShape = model.shapes[member.shape] as Shape;
    if (member.location === 'statusCode') status = Number(value);
    else if (member.location === 'header') {
      headers[(member.locationName ?? name).toLowerCase()] = headerText(member, memberShape, value);
    } else if (member.location === 'headers') {
      const prefix = (member.locationName ?? '').toLowerCase();
      for (const [k, v] of Object.entries(value as Record<string, string>))
        headers[prefix + k.toLowerCase()] = v;
    }
  }
  return { status, headers };
}

function headerText(member: ShapeRef, shape: Shape, value: unknown): string {
  if (member.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  if (shape.type === 'timestamp') {
    const date = value instanceof Date ? value : new Date(value as number);
    return String(formatTimestamp(date, member.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
  }
  if (shape.type === 'blob') return Buffer.from(value as Uint8Array).toString('base64');
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
