/**
 * A REST API deployment's resource tree, compiled for matching request paths. Matching prefers,
 * segment by segment, a literal path part over a `{variable}`, and a variable over a greedy
 * `{proxy+}`, backtracking when a more specific branch leads nowhere — API Gateway's precedence.
 */
import type { Method } from '@aws-sdk/client-api-gateway';
import type { RestSnapshot } from '../deployments.js';
import type { StoredResource } from '../resources.js';

interface Node {
  resource?: StoredResource;
  literals: Map<string, Node>;
  variable?: { name: string; node: Node };
  greedy?: { name: string; resource: StoredResource };
}

export interface RestRoute {
  resource: StoredResource;
  /** The method for the request's HTTP method, or the resource's `ANY` method. */
  method: Method;
  pathParameters: Record<string, string>;
}

const emptyNode = (): Node => ({ literals: new Map() });

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export class RestRoutes {
  private readonly root: Node = emptyNode();

  constructor(readonly snapshot: RestSnapshot) {
    for (const resource of snapshot.resources) this.add(resource);
  }

  /** The route for `httpMethod` on `rawPath` (percent-encoded, from `/`), if the API has one. */
  match(httpMethod: string, rawPath: string): RestRoute | undefined {
    const segments = rawPath.split('/').slice(1);
    // `/pets/` is `/pets`: a trailing slash adds no segment.
    if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
    return this.walk(this.root, segments, 0, httpMethod, {});
  }

  private add(resource: StoredResource): void {
    let node = this.root;
    const parts = resource.path === '/' ? [] : resource.path.split('/').slice(1);
    parts.forEach((part, i) => {
      if (part.endsWith('+}') && i === parts.length - 1) {
        node.greedy = { name: part.slice(1, -2), resource };
        return;
      }
      if (part.startsWith('{')) {
        node.variable ??= { name: part.slice(1, -1), node: emptyNode() };
        node = node.variable.node;
        return;
      }
      let next = node.literals.get(part);
      if (!next) node.literals.set(part, (next = emptyNode()));
      node = next;
    });
    if (!(parts.length > 0 && parts[parts.length - 1]!.endsWith('+}'))) node.resource = resource;
  }

  private walk(
    node: Node,
    segments: readonly string[],
    at: number,
    httpMethod: string,
    parameters: Record<string, string>,
  ): RestRoute | undefined {
    if (at === segments.length) {
      const found = node.resource && this.route(node.resource, httpMethod, parameters);
      if (found) return found;
    } else {
      const segment = decode(segments[at]!);
      const literal = node.literals.get(segment);
      const viaLiteral = literal && this.walk(literal, segments, at + 1, httpMethod, parameters);
      if (viaLiteral) return viaLiteral;
      if (node.variable && segment !== '') {
        const { name, node: next } = node.variable;
        const viaVariable = this.walk(next, segments, at + 1, httpMethod, { ...parameters, [name]: segment });
        if (viaVariable) return viaVariable;
      }
    }
    // A greedy variable takes one segment or more: the rest of the path, decoded.
    if (node.greedy && at < segments.length) {
      const rest = segments.slice(at).map(decode).join('/');
      return this.route(node.greedy.resource, httpMethod, { ...parameters, [node.greedy.name]: rest });
    }
    return undefined;
  }

  private route(
    resource: StoredResource,
    httpMethod: string,
    pathParameters: Record<string, string>,
  ): RestRoute | undefined {
    const methods = resource.resourceMethods ?? {};
    const method = methods[httpMethod] ?? methods['ANY'];
    return method ? { resource, method, pathParameters } : undefined;
  }
}
