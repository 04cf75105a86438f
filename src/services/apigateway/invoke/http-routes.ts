/**
 * An HTTP API deployment's routes, compiled for matching requests. API Gateway picks the most
 * specific route: segment by segment a literal beats a `{variable}`, which beats a greedy
 * `{proxy+}`; a route for the request's method beats `ANY`; `$default` catches the rest.
 */
import type { Route } from '@aws-sdk/client-apigatewayv2';

type Segment = { literal: string } | { variable: string } | { greedy: string };

interface CompiledRoute {
  route: Route;
  method: string;
  segments: Segment[];
}

export interface HttpRouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function compile(route: Route): CompiledRoute | undefined {
  const key = route.RouteKey ?? '';
  const space = key.indexOf(' ');
  if (space === -1) return undefined;
  const path = key.slice(space + 1);
  const segments = (path === '/' ? [] : path.split('/').slice(1)).map((part): Segment => {
    if (part.endsWith('+}')) return { greedy: part.slice(1, -2) };
    if (part.startsWith('{')) return { variable: part.slice(1, -1) };
    return { literal: part };
  });
  return { route, method: key.slice(0, space), segments };
}

/** The path parameters of `route` for `parts`, or undefined when it does not match. */
function bind(route: CompiledRoute, parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if ('greedy' in segment) {
      if (i >= parts.length) return undefined;
      parameters[segment.greedy] = parts.slice(i).map(decode).join('/');
      return parameters;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if ('literal' in segment) {
      if (decode(part) !== segment.literal) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.variable] = decode(part);
    }
  }
  return route.segments.length === parts.length ? parameters : undefined;
}

/** Positive when `a` is more specific than `b`. */
function specificity(a: CompiledRoute, b: CompiledRoute, method: string): number {
  const rank = (s: Segment | undefined) =>
    s === undefined ? -1 : 'literal' in s ? 2 : 'variable' in s ? 1 : 0;
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  return Number(a.method === method) - Number(b.method === method);
}

export class HttpRoutes {
  private readonly routes: CompiledRoute[];
  private readonly fallback: Route | undefined;

  constructor(routes: readonly Route[]) {
    this.routes = routes.map(compile).filter((r): r is CompiledRoute => r !== undefined);
    this.fallback = routes.find((r) => r.RouteKey === '$default');
  }

  /** The route for `method` on `rawPath` (percent-encoded, from `/`), if any. */
  match(method: string, rawPath: string): HttpRouteMatch | undefined {
    const parts = rawPath.split('/').slice(1);
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    let best: { route: CompiledRoute; parameters: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const parameters = bind(route, parts);
      if (parameters && (!best || specificity(route, best.route, method) > 0)) best = { route, parameters };
    }
    if (best) return { route: best.route.route, pathParameters: best.parameters };
    return this.fallback ? { route: this.fallback, pathParameters: {} } : undefined;
  }
}
