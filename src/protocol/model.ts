/**
 * The official AWS service models (botocore's JSON form, see scripts/generate-models.mjs), typed
 * for the parts the protocol layer reads. Every wire decision is taken from these: member
 * locations and names, constraints, timestamp formats, error codes and HTTP statuses.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ProtocolName = 'json' | 'rest-json' | 'query' | 'rest-xml' | 'smithy-rpc-v2-cbor' | 'ec2';

export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  jsonvalue?: boolean;
  timestampFormat?: TimestampFormat;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  streaming?: boolean;
  deprecated?: boolean;
}

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob'
    | 'document';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  payload?: string;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  flattened?: boolean;
  locationName?: string;
  xmlNamespace?: { uri: string; prefix?: string };
  timestampFormat?: TimestampFormat;
  streaming?: boolean;
  union?: boolean;
  document?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  sensitive?: boolean;
}

export interface Operation {
  name: string;
  http: {
    method: string;
    requestUri: string;
    responseCode?: number;
    /**
     * Stratus's own: headers that tell this operation apart from another with the same method
     * and URI (S3's CopyObject is PutObject with `x-amz-copy-source`), set by a service's model.
     */
    requiredHeaders?: string[];
  };
  input?: ShapeRef & { locationName?: string; xmlNamespace?: { uri: string } };
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
  endpoint?: { hostPrefix: string };
  deprecated?: boolean;
}

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: ProtocolName;
  protocols?: ProtocolName[];
  jsonVersion?: string;
  targetPrefix?: string;
  signingName?: string;
  serviceId: string;
  serviceFullName: string;
  xmlNamespace?: string;
  awsQueryCompatible?: Record<string, never>;
}

export interface ServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

// `npm run build` copies the models next to the compiled code, so this holds in src/ and dist/.
const modelsDir = join(dirname(fileURLToPath(import.meta.url)), 'models');

/** Reads `src/protocol/models/<name>.json`, the model generated for one service. */
export function loadServiceModel(name: string): ServiceModel {
  try {
    return JSON.parse(readFileSync(join(modelsDir, `${name}.json`), 'utf8')) as ServiceModel;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Error(`no service model named '${name}' in ${modelsDir}; run \`npm run models -- ${name}\``, {
      cause: err,
    });
  }
}

export function shapeOf(model: ServiceModel, ref: ShapeRef | string): Shape {
  const name = typeof ref === 'string' ? ref : ref.shape;
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.metadata.serviceId} model has no shape ${name}`);
  return shape;
}

/** The protocols a service speaks, most preferred first. */
export function protocolsOf(model: ServiceModel): ProtocolName[] {
  return model.metadata.protocols ?? [model.metadata.protocol];
}
