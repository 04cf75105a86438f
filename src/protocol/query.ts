/**
 * The `query` protocol: form-encoded `Action=…&Version=…&Name.member.1=…` requests (in the body or
 * the query string) and XML responses wrapped in `<OperationResponse><OperationResult>`.
 */
import type { ServiceModel, Shape, ShapeRef } from './model.js';
import { InvalidAction, MissingAction } from './errors.js';
import { escapeXml, readScalar, writeXmlMembers } from './xml.js';
import { identifyError, type Protocol, type WireRequest } from './wire.js';

/** Form parameters from the body (form-encoded) and the query string, body winning. */
export function queryParameters(request: WireRequest): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, values] of Object.entries(request.query)) params.set(name, values[0] ?? '');
  if (request.body.length > 0 && (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

/** Every dotted prefix of every parameter name, so presence of `Tags.member.3` is one lookup. */
function prefixesOf(params: Map<string, string>): Set<string> {
  const prefixes = new Set<string>();
  for (const name of params.keys()) {
    let dot = name.indexOf('.');
    while (dot !== -1) {
      prefixes.add(name.slice(0, dot));
      dot = name.indexOf('.', dot + 1);
    }
    prefixes.add(name);
  }
  return prefixes;
}

function readQueryValue(
  model: ServiceModel,
  ref: ShapeRef,
  params: Map<string, string>,
  prefixes: Set<string>,
  prefix: string,
): unknown {
  const shape = model.shapes[ref.shape] as Shape;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const wireName = member.locationName ?? name;
        const key = prefix ? `${prefix}.${wireName}` : wireName;
        const memberShape = model.shapes[member.shape] as Shape;
        // A flattened list whose member has a name travels under that name (`AttributeName.1`).
        const sentAs = memberShape.type === 'list' ? listItemPrefix(member, memberShape, key) : key;
        if (!prefixes.has(key) && !prefixes.has(sentAs)) continue;
        const value = readQueryValue(model, member, params, prefixes, key);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case 'list': {
      const member = shape.member!;
      const itemPrefix = listItemPrefix(ref, shape, prefix);
      const items: unknown[] = [];
      for (let i = 1; prefixes.has(`${itemPrefix}.${i}`); i++) {
        items.push(readQueryValue(model, member, params, prefixes, `${itemPrefix}.${i}`));
      }
      return items;
    }
    case 'map': {
      const entryPrefix = ref.flattened || shape.flattened ? prefix : `${prefix}.entry`;
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const out: Record<string, unknown> = {};
      for (let i = 1; prefixes.has(`${entryPrefix}.${i}`); i++) {
        const key = params.get(`${entryPrefix}.${i}.${keyName}`);
        if (key === undefined) continue;
        out[key] = readQueryValue(model, shape.value!, params, prefixes, `${entryPrefix}.${i}.${valueName}`);
      }
      return out;
    }
    default: {
      const raw = params.get(prefix);
      return raw === undefined ? undefined : readScalar(shape, raw);
    }
  }
}

/** Where a list's items are: `Name.member.N`, or for flattened lists `Name.N` / `<MemberName>.N`. */
function listItemPrefix(ref: ShapeRef, shape: Shape, prefix: string): string {
  const member = shape.member!;
  if (ref.flattened || shape.flattened) {
    return member.locationName ? [...prefix.split('.').slice(0, -1), member.locationName].join('.') : prefix;
  }
  return `${prefix}.${member.locationName ?? 'member'}`;
}

function xmlNamespace(model: ServiceModel): string {
  return (
    model.metadata.xmlNamespace ??
    `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`
  );
}

const xmlContentType = 'text/xml';

export const queryProtocol: Protocol = {
  name: 'query',

  recognizes: (request) =>
    (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded') || 'Action' in request.query,

  resolve(model, request) {
    const action = queryParameters(request).get('Action');
    if (!action) throw new MissingAction('Missing Action');
    const operation = model.operations[action];
    if (!operation) throw new InvalidAction(`The action ${action} is not valid for this web service.`);
    return { operation };
  },

  parse(model, { operation }, request) {
    if (!operation.input) return {};
    const params = queryParameters(request);
    return readQueryValue(model, operation.input, params, prefixesOf(params), '') as Record<string, unknown>;
  },

  serialize(model, operation, output, { requestId }) {
    const name = operation.name;
    let result = '';
    if (operation.output) {
      const shape = model.shapes[operation.output.shape] as Shape;
      const members = writeXmlMembers(model, shape, (output ?? {}) as Record<string, unknown>);
      const wrapper = operation.output.resultWrapper ?? `${name}Result`;
      result = `<${wrapper}>${members}</${wrapper}>`;
    }
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<${name}Response xmlns="${xmlNamespace(model)}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${name}Response>`;
    return { status: 200, headers: { 'content-type': xmlContentType, 'x-amzn-requestid': requestId }, body };
  },

  serializeError(model, error, { requestId }) {
    const identity = identifyError(model, error);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlNamespace(model)}"><Error>` +
      `<Type>${identity.senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(identity.wireCode)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return {
      status: identity.status,
      headers: { 'content-type': xmlContentType, 'x-amzn-requestid': requestId, ...error.headers },
      body,
    };
  },
};
