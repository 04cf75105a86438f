import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../storage/store.js';
import {
  checkedV2AccessLogSettings,
  checkFormat,
  destinationOf,
  patchRestAccessLogSettings,
} from './access-log-settings.js';

const at = { accountId: '123456789012', region: 'us-east-1' };
const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/access';

/** The store as far as the account settings go: a logging role, or none. */
function accountWith(roleArn: string | undefined): Queryable {
  return {
    get: <T>() =>
      Promise.resolve(
        (roleArn ? { document: JSON.stringify({ cloudwatchRoleArn: roleArn }) } : undefined) as T,
      ),
    all: () => Promise.resolve([]),
    run: () => Promise.resolve({ changes: 0 }),
  };
}
const withRole = accountWith('arn:aws:iam::123456789012:role/apigw-logs');

async function patched(
  operations: PatchOperation[],
  settings?: { destinationArn?: string; format?: string },
  db = withRole,
) {
  const stage: { accessLogSettings?: { destinationArn?: string; format?: string } } = settings
    ? { accessLogSettings: settings }
    : {};
  await patchRestAccessLogSettings(db, at, stage, operations);
  return stage.accessLogSettings;
}

describe('access log destinations', () => {
  it("takes a log group of the API's account and region, with or without CloudWatch Logs' :*", () => {
    expect(destinationOf(group, at, 'REST')).toEqual({
      kind: 'logs',
      at,
      logGroupName: '/aws/apigateway/access',
    });
    expect(destinationOf(`${group}:*`, at, 'HTTP')).toMatchObject({ logGroupName: '/aws/apigateway/access' });
    expect(destinationOf(group.replace('123456789012', '210987654321'), at, 'REST')).toBeUndefined();
    expect(destinationOf(group.replace('us-east-1', 'eu-west-1'), at, 'REST')).toBeUndefined();
    expect(destinationOf('arn:aws:s3:::bucket', at, 'REST')).toBeUndefined();
  });

  it('takes a Firehose stream named amazon-apigateway-… for REST and WebSocket APIs, not HTTP APIs', () => {
    const stream = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-logs';
    expect(destinationOf(stream, at, 'REST')).toEqual({
      kind: 'firehose',
      deliveryStreamName: 'amazon-apigateway-logs',
    });
    expect(destinationOf(stream, at, 'HTTP')).toBeUndefined();
    expect(destinationOf(stream.replace('amazon-apigateway-', ''), at, 'WEBSOCKET')).toBeUndefined();
  });
});

describe('access log formats as API Gateway checks them', () => {
  it('needs $context.requestId or $context.extendedRequestId', () => {
    expect(() => checkFormat('$context.extendedRequestId', 'REST')).not.toThrow();
    expect(() => checkFormat('$context.status', 'REST')).toThrow(
      "Access Log format must include either $context.requestId or $context.extendedRequestId : '$context.status'",
    );
    expect(() => checkFormat('$context.requestIdentity', 'WEBSOCKET')).toThrow(
      'The following errors are found in Access Log Format: Access Log format must include either',
    );
  });

  it('takes one line (REST: and a line break at its very end)', () => {
    expect(() => checkFormat('$context.requestId\n', 'REST')).not.toThrow();
    expect(() => checkFormat('$context.requestId\n$context.status', 'REST')).toThrow(
      'Access Log format must be single line, new line character is allowed only at end of the format',
    );
    expect(() => checkFormat('$context.requestId\n', 'WEBSOCKET')).toThrow(
      'Access Log format must be single line',
    );
  });

  it("refuses HTTP API formats naming variables HTTP APIs lack, and lets REST's render as -", () => {
    expect(() =>
      checkFormat('$context.requestId $context.authorizer.claims.sub $context.routeKey', 'HTTP'),
    ).not.toThrow();
    expect(() =>
      checkFormat('$context.requestId $context.resourceId $context.wafResponseCode', 'HTTP'),
    ).toThrow(
      'The following context variables are not supported: [$context.resourceId, $context.wafResponseCode]',
    );
    expect(() => checkFormat('$context.requestId $context.noSuchThing', 'REST')).not.toThrow();
  });
});

describe("a REST stage's /accessLogSettings patch operations", () => {
  const format = '$context.requestId $context.status';

  it('sets the destination and the format one at a time, and removes them together', async () => {
    const destination = await patched([
      { op: 'add', path: '/accessLogSettings/destinationArn', value: `${group}:*` },
    ]);
    expect(destination).toEqual({ destinationArn: group });
    const both = await patched(
      [{ op: 'replace', path: '/accessLogSettings/format', value: format }],
      destination,
    );
    expect(both).toEqual({ destinationArn: group, format });
    expect(await patched([{ op: 'remove', path: '/accessLogSettings' }], both)).toBeUndefined();
  });

  it("refuses a destination while the account's CloudWatch Logs role is not set", async () => {
    await expect(
      patched(
        [{ op: 'replace', path: '/accessLogSettings/destinationArn', value: group }],
        undefined,
        accountWith(undefined),
      ),
    ).rejects.toThrow('CloudWatch Logs role ARN must be set in account settings to enable logging');
    await expect(
      patched(
        [{ op: 'replace', path: '/accessLogSettings/format', value: format }],
        undefined,
        accountWith(undefined),
      ),
    ).resolves.toEqual({ format });
  });

  it("answers AWS's errors for other paths, empty values, bad ARNs and bad formats", async () => {
    await expect(patched([{ op: 'replace', path: '/accessLogSettings/x', value: 'v' }])).rejects.toThrow(
      'Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]',
    );
    await expect(patched([{ op: 'replace', path: '/accessLogSettings', value: 'v' }])).rejects.toThrow(
      'Invalid accessLogSettings path.',
    );
    await expect(patched([{ op: 'remove', path: '/accessLogSettings/destinationArn' }])).rejects.toThrow(
      'Cannot remove method setting accessLogSettings/destinationArn because there is no method setting for this method ',
    );
    await expect(patched([{ op: 'replace', path: '/accessLogSettings/format', value: '' }])).rejects.toThrow(
      'Access Log value must not be empty',
    );
    await expect(
      patched([{ op: 'replace', path: '/accessLogSettings/destinationArn', value: 'my-group' }]),
    ).rejects.toThrow("Invalid ARN specified in the request. ARNs must start with 'arn:': my-group");
    await expect(
      patched([
        {
          op: 'replace',
          path: '/accessLogSettings/destinationArn',
          value: 'arn:aws:sqs:us-east-1:123456789012:q',
        },
      ]),
    ).rejects.toThrow(
      'Invalid ARN specified in the request. The ARN must be a valid CloudWatch Logs log group or Kinesis Data Firehose delivery stream ARN.',
    );
    await expect(
      patched([{ op: 'replace', path: '/accessLogSettings/format', value: '$context.status' }]),
    ).rejects.toThrow('Access Log format must include either');
  });
});

describe("an HTTP or WebSocket stage's AccessLogSettings", () => {
  it('needs both members, and WebSocket APIs the logging role', async () => {
    const settings = { DestinationArn: `${group}:*`, Format: '$context.requestId' };
    await expect(checkedV2AccessLogSettings(accountWith(undefined), at, 'HTTP', settings)).resolves.toEqual({
      DestinationArn: group,
      Format: '$context.requestId',
    });
    await expect(
      checkedV2AccessLogSettings(accountWith(undefined), at, 'WEBSOCKET', settings),
    ).rejects.toThrow('CloudWatch Logs role ARN must be set in account settings to enable logging');
    await expect(checkedV2AccessLogSettings(withRole, at, 'HTTP', { DestinationArn: group })).rejects.toThrow(
      'Access Log value missing. Expected destinationArn and format.',
    );
    await expect(checkedV2AccessLogSettings(withRole, at, 'HTTP', undefined)).resolves.toBeUndefined();
  });
});
