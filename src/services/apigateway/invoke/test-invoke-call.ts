/**
 * The made-up call of API Gateway's test operations (TestInvokeMethod, TestInvokeAuthorizer):
 * `pathWithQueryString`, `headers`, `multiValueHeaders` and `body` as given, at stage
 * `test-invoke-stage`, from the console's made-up source and domain.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../service.js';
import type { ApiCall } from './api-call.js';

export const TEST_INVOKE_STAGE = 'test-invoke-stage';

/** What both test operations' inputs say about the request. */
export interface TestRequest {
  restApiId?: string | undefined;
  pathWithQueryString?: string | undefined;
  headers?: Record<string, string> | undefined;
  multiValueHeaders?: Record<string, string[]> | undefined;
  body?: string | undefined;
}

/** `method` on `pathWithQueryString` (`defaultPath` when it is empty). */
export function testInvokeCall(
  input: TestRequest,
  method: string,
  defaultPath: string,
  at: Pick<RequestContext, 'accountId' | 'region'>,
  receivedAt: number,
): ApiCall {
  const [path, query] = (input.pathWithQueryString || defaultPath).split('?', 2);
  const headers: [string, string][] = [
    ...Object.entries(input.multiValueHeaders ?? {}).flatMap(([name, values]) =>
      values.map((value): [string, string] => [name, value]),
    ),
    ...Object.entries(input.headers ?? {}),
  ];
  const requestId = randomUUID();
  return {
    requestId,
    extendedRequestId: requestId,
    apiId: input.restApiId!,
    accountId: at.accountId,
    region: at.region,
    stage: TEST_INVOKE_STAGE,
    method,
    rawPath: path!.startsWith('/') ? path! : `/${path}`,
    rawQueryString: query ?? '',
    headers,
    body: Buffer.from(input.body ?? ''),
    sourceIp: 'test-invoke-source-ip',
    domainName: 'testPrefix.testDomainName',
    receivedAt,
    protocol: 'HTTP/1.1',
  };
}
