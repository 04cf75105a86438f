/**
 * A stage's access log settings as API Gateway checks them: the destination must be a CloudWatch
 * Logs log group of the API's account and region (or, REST and WebSocket APIs, a Firehose
 * delivery stream named `amazon-apigateway-…`); the format one line naming `$context.requestId`
 * or `$context.extendedRequestId` (HTTP APIs: and only variables HTTP APIs have); and REST and
 * WebSocket APIs log through the account's CloudWatch Logs role, which must be set first. REST
 * stages take them as UpdateStage patch operations, HTTP and WebSocket stages whole.
 *
 * Like AWS, Stratus does not check here that the log group exists: lines for a missing group
 * are dropped when written.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Queryable } from '../../../storage/store.js';
import { parseArn } from '../../arn.js';
import { BadRequestException } from '../errors.js';
import type { ApiKind, ApiPlace } from '../tables.js';
import { cloudWatchRoleArn } from './account.js';
import { variablesOf } from './access-log-format.js';
import { isHttpVariable } from './context-variables.js';

/** Where a stage's access log lines go. */
export type AccessLogDestination =
  { kind: 'logs'; at: ApiPlace; logGroupName: string } | { kind: 'firehose'; deliveryStreamName: string };

/** CloudWatch Logs' log group names. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

const invalidDestination = () =>
  new BadRequestException(
    'Invalid ARN specified in the request. The ARN must be a valid CloudWatch Logs log group or Kinesis Data Firehose delivery stream ARN.',
  );
export const loggingRoleMissing = () =>
  new BadRequestException('CloudWatch Logs role ARN must be set in account settings to enable logging');

/**
 * The destination an ARN names, for an API of `kind` in `at`; undefined when it names none API
 * Gateway writes to. A log group's ARN may end in `:*`, as CloudWatch Logs writes them.
 */
export function destinationOf(arn: string, at: ApiPlace, kind: ApiKind): AccessLogDestination | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.accountId !== at.accountId || parsed.region !== at.region) return undefined;
  if (parsed.service === 'logs' && parsed.resource.startsWith('log-group:')) {
    const logGroupName = parsed.resource.slice('log-group:'.length).replace(/:\*$/, '');
    return LOG_GROUP_NAME.test(logGroupName) ? { kind: 'logs', at, logGroupName } : undefined;
  }
  // HTTP APIs write to CloudWatch Logs only.
  const stream = /^deliverystream\/(amazon-apigateway-[A-Za-z0-9_.-]+)$/.exec(parsed.resource);
  if (parsed.service === 'firehose' && kind !== 'HTTP' && stream) {
    return { kind: 'firehose', deliveryStreamName: stream[1]! };
  }
  return undefined;
}

/** The destination ARN as the stage keeps it (without a log group ARN's `:*`); throws AWS's error. */
function checkedDestination(arn: string, at: ApiPlace, kind: ApiKind): string {
  if (!arn.startsWith('arn:')) {
    throw new BadRequestException(
      `Invalid ARN specified in the request. ARNs must start with 'arn:': ${arn}`,
    );
  }
  if (!destinationOf(arn, at, kind)) throw invalidDestination();
  return arn.replace(/:\*$/, '');
}

export function checkFormat(format: string, kind: ApiKind): void {
  // v2's messages say where the errors are; REST allows a line break at the very end.
  const prefix = kind === 'REST' ? '' : 'The following errors are found in Access Log Format: ';
  const line = kind === 'REST' ? format.replace(/\r?\n$/, '') : format;
  if (/[\r\n]/.test(line)) {
    const rest = kind === 'REST' ? ', new line character is allowed only at end of the format' : '';
    throw new BadRequestException(`${prefix}Access Log format must be single line${rest}: '${format}'`);
  }
  const names = variablesOf(format);
  const unsupported = kind === 'HTTP' ? names.filter((name) => !isHttpVariable(name)) : [];
  if (unsupported.length > 0) {
    const listed = unsupported.map((name) => `$context.${name}`).join(', ');
    throw new BadRequestException(`The following context variables are not supported: [${listed}]`);
  }
  if (!names.some((name) => name === 'requestId' || name === 'extendedRequestId')) {
    throw new BadRequestException(
      `${prefix}Access Log format must include either $context.requestId or $context.extendedRequestId : '${format}'`,
    );
  }
}

const ACCESS_LOG_PATH = /^\/accessLogSettings(\/|$)/;

/** Whether a REST stage's patch operation is UpdateStage's for `patchRestAccessLogSettings`. */
export function isAccessLogPath(path: string | undefined): boolean {
  return ACCESS_LOG_PATH.test(path ?? '');
}

const FIELDS: Readonly<Record<string, 'destinationArn' | 'format'>> = {
  '/accessLogSettings/destinationArn': 'destinationArn',
  '/accessLogSettings/format': 'format',
};

/**
 * Applies a REST stage's `/accessLogSettings` patch operations to it: `add` or `replace` of
 * `/accessLogSettings/destinationArn` and `/accessLogSettings/format`, `remove /accessLogSettings`.
 * Checks the destination, then the account's logging role (when there is a destination), then
 * the format.
 */
export async function patchRestAccessLogSettings(
  db: Queryable,
  at: ApiPlace,
  stage: { accessLogSettings?: APIGW.AccessLogSettings },
  operations: readonly APIGW.PatchOperation[],
): Promise<void> {
  let settings: APIGW.AccessLogSettings = { ...stage.accessLogSettings };
  for (const { op, path = '', value } of operations) {
    if (op === 'remove') {
      if (path !== '/accessLogSettings') {
        throw new BadRequestException(
          `Cannot remove method setting ${path.slice(1)} because there is no method setting for this method `,
        );
      }
      settings = {};
    } else if (op === 'add' || op === 'replace') {
      const field = FIELDS[path];
      if (!field) {
        throw new BadRequestException(
          'Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]',
        );
      }
      if (!value) throw new BadRequestException('Access Log value must not be empty');
      settings[field] = value;
    } else {
      throw new BadRequestException(
        `Invalid patch path '${path}' specified for op '${op ?? ''}'. Please choose supported operations`,
      );
    }
  }
  if (settings.destinationArn !== undefined) {
    settings.destinationArn = checkedDestination(settings.destinationArn, at, 'REST');
    if (!(await cloudWatchRoleArn(db, at))) throw loggingRoleMissing();
  }
  if (settings.format !== undefined) checkFormat(settings.format, 'REST');
  if (settings.destinationArn === undefined && settings.format === undefined) delete stage.accessLogSettings;
  else stage.accessLogSettings = settings;
}

/**
 * An HTTP or WebSocket stage's `AccessLogSettings`, checked (both members are needed) and as the
 * stage keeps them; WebSocket APIs need the account's logging role.
 */
export async function checkedV2AccessLogSettings(
  db: Queryable,
  at: ApiPlace,
  kind: 'HTTP' | 'WEBSOCKET',
  settings: V2.AccessLogSettings | undefined,
): Promise<V2.AccessLogSettings | undefined> {
  if (!settings) return undefined;
  if (!settings.DestinationArn || !settings.Format) {
    throw new BadRequestException('Access Log value missing. Expected destinationArn and format.');
  }
  const destinationArn = checkedDestination(settings.DestinationArn, at, kind);
  checkFormat(settings.Format, kind);
  if (kind === 'WEBSOCKET' && !(await cloudWatchRoleArn(db, at))) throw loggingRoleMissing();
  return { DestinationArn: destinationArn, Format: settings.Format };
}
