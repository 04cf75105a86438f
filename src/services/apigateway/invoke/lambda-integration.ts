/**
 * Calling a function from an integration: the Lambda `Invoke` operation through the service
 * caller, with the integration's timeout. What comes back is the function's raw result, an
 * error it raised, or the reason no result came.
 */
import type { InvocationResponse } from '@aws-sdk/client-lambda';
import type { ServiceCaller } from '../../service.js';

export type LambdaOutcome =
  | { kind: 'result'; payload: Buffer }
  | { kind: 'function-error'; payload: Buffer }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timed-out' };

/**
 * The function an integration URI names: `arn:aws:apigateway:{region}:lambda:path/2015-03-31/
 * functions/{function ARN}/invocations`, stage variables (`${stageVariables.alias}`) filled in.
 */
export function functionOfUri(uri: string, stageVariables: Record<string, string>): string | undefined {
  const filled = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_, name: string) => stageVariables[name] ?? '',
  );
  const match = /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(filled);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

export async function invokeFunction(
  services: ServiceCaller,
  functionName: string,
  event: unknown,
  at: { accountId: string; region: string },
  timeoutMs: number,
): Promise<LambdaOutcome> {
  let timer: NodeJS.Timeout | undefined;
  // The integration timeout is the caller's HTTP wait, host time: the function itself runs on.
  const timedOut = new Promise<LambdaOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), timeoutMs);
  });
  const invoked = services
    .call<InvocationResponse>(
      'lambda',
      'Invoke',
      { FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) },
      at,
    )
    .then(
      (out): LambdaOutcome => {
        const payload = Buffer.from(out.Payload ?? new Uint8Array());
        return out.FunctionError ? { kind: 'function-error', payload } : { kind: 'result', payload };
      },
      (error: unknown): LambdaOutcome => ({ kind: 'failed', error }),
    );
  try {
    return await Promise.race([invoked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
