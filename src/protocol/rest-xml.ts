/**
 * The `rest-xml` protocol (S3): operations by method + URI, members in the URI, query string and
 * headers, the `payload` member (or the remaining members) as an XML body; errors as
 * `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId><HostId>…</HostId></Error>`.
 * A streaming blob payload (PutObject's and GetObject's `Body`) may be a stream both ways.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ServiceModel, Shape, ShapeRef } from './model.js';
import { SerializationException, ServiceError, UnknownOperationException } from './errors.js';
import { matchRestOperation, readBoundMembers, writeBoundMembers } from './rest.js';
import { escapeXml, parseXmlDocument, readXmlValue, writeXmlElement, writeXmlMembers } from './xml.js';
import { httpStatus, identifyError, type Protocol } from './wire.js';

const xmlType = 'application/xml';
const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** S3's `x-amz-id-2` / `<HostId>`: an opaque token naming the host that answered. */
function hostId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

function documentRoot(xml: Buffer): unknown {
  const parsed = parseXmlDocument(xml.toString('utf8'));
  const rootName = Object.keys(parsed).find((k) => !k.startsWith('?'));
  return rootName ? parsed[rootName] : undefined;
}

const malformedXml = () =>
  new ServiceError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    { status: 400 },
  );

/** The members a request body carries: its payload member, or the members bound to no header. */
function readXmlBody(
  model: ServiceModel,
  shape: Shape,
  ref: ShapeRef,
  input: Record<string, unknown>,
  body: Buffer,
): Record<string, unknown> {
  const payloadName = shape.payload;
  if (payloadName) {
    const payloadRef = shape.members![payloadName]!;
    const payloadShape = model.shapes[payloadRef.shape] as Shape;
    if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
      input[payloadName] = payloadShape.type === 'blob' ? body : body.toString('utf8');
    } else {
      input[payloadName] = readXmlValue(model, payloadRef, documentRoot(body));
    }
    return input;
  }
  return { ...(readXmlValue(model, ref, documentRoot(body)) as Record<string, unknown>), ...input };
}

export const restXmlProtocol: Protocol = {
  name: 'rest-xml',

  recognizes: () => true,

  resolve(model, request) {
    const match = matchRestOperation(model, request);
    if (!match) throw new UnknownOperationException(`No operation matches ${request.method} ${request.path}`);
    return match;
  },

  parse(model, match, request) {
    const ref = match.operation.input;
    if (!ref) return {};
    const shape = model.shapes[ref.shape] as Shape;
    const input = readBoundMembers(model, shape, match, request);
    const payloadName = shape.payload;
    if (request.bodyStream) {
      if (payloadName) input[payloadName] = request.bodyStream;
      return input;
    }
    if (request.body.length === 0) return input;
    try {
      return readXmlBody(model, shape, ref, input, request.body);
    } catch (err) {
      // S3's answer to a body that is not XML, or not its XML.
      if (err instanceof SerializationException) throw malformedXml();
      throw err;
    }
  },

  serialize(model, operation, output, { requestId }) {
    const values = (output ?? {}) as Record<string, unknown>;
    const headers: Record<string, string> = {
      'x-amz-request-id': requestId,
      'x-amz-id-2': hostId(requestId),
    };
    let status = operation.http.responseCode ?? 200;
    let body: Buffer | string | Readable = '';
    if (operation.output) {
      const shape = model.shapes[operation.output.shape] as Shape;
      const bound = writeBoundMembers(model, shape, values);
      Object.assign(headers, bound.headers);
      const chosen = (values as { [httpStatus]?: number })[httpStatus];
      status = bound.status ?? chosen ?? status;
      const payloadName = shape.payload;
      if (payloadName) {
        const payloadRef = shape.members![payloadName]!;
        const payloadShape = model.shapes[payloadRef.shape] as Shape;
        const payload = values[payloadName];
        if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
          body =
            payload === undefined
              ? ''
              : typeof payload === 'string' || payload instanceof Readable
                ? payload
                : Buffer.from(payload as Uint8Array);
        } else if (payload !== undefined) {
          const rootName = payloadRef.locationName ?? payloadShape.locationName ?? payloadRef.shape;
          body = xmlDeclaration + writeXmlElement(model, payloadRef, rootName, payload);
          headers['content-type'] = xmlType;
        }
      } else if (Object.values(shape.members ?? {}).some((m) => !m.location)) {
        const rootName = shape.locationName ?? operation.output.shape.replace(/Output$/, 'Result');
        const ns = model.metadata.xmlNamespace ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
        // A document named after its one member is that member's text (S3's GetBucketLocation
        // answers `<LocationConstraint>eu-west-1</LocationConstraint>`).
        const content =
          shape.members?.[rootName] && !shape.members[rootName]!.location
            ? escapeXml(String(values[rootName] ?? ''))
            : writeXmlMembers(model, shape, values);
        body = `${xmlDeclaration}<${rootName}${ns}>${content}</${rootName}>`;
        headers['content-type'] = xmlType;
      }
    }
    return { status, headers, body };
  },

  serializeError(model, error, { requestId }) {
    const identity = identifyError(model, error);
    const fields = Object.entries(error.fields)
      .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
      .join('');
    const host = hostId(requestId);
    return {
      status: identity.status,
      headers: {
        'content-type': xmlType,
        'x-amz-request-id': requestId,
        'x-amz-id-2': host,
        ...error.headers,
      },
      body:
        `${xmlDeclaration}<Error><Code>${escapeXml(identity.wireCode)}</Code><Message>${escapeXml(error.message)}</Message>` +
        `${fields}<RequestId>${requestId}</RequestId><HostId>${host}</HostId></Error>`,
    };
  },
};
