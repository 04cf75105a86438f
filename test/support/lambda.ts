/** Functions for end-to-end tests: create one from files, read what it logged, wait for a condition. */
import { CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SandboxMode } from '../../src/functions/sandbox.js';
import { zipOf, type ZipEntry } from './zip.js';

export const testRole = 'arn:aws:iam::000000000000:role/lambda-role';

export interface FunctionOptions {
  runtime?: Runtime;
  handler?: string;
  Timeout?: number;
  MemorySize?: number;
  Layers?: string[];
  Environment?: Record<string, string>;
}

/** Where Stratus extracted a package (function code or layer) of this `CodeSha256` on the host. */
export function extractedDir(dataDir: string, codeSha256: string): string {
  return join(dataDir, 'lambda', 'code', Buffer.from(codeSha256, 'base64').toString('hex'));
}

/**
 * Where a function finds its code and its (single) layer in each sandbox mode, as
 * docs/functions.md promises: Lambda's /var/task and /opt in bubblewrap; without it, host
 * directories of Stratus's data: the code where Stratus extracted it (or, in a spare environment,
 * that environment's copy of it) and the layer where Stratus extracted it.
 */
export function seenPaths(mode: SandboxMode, dataDir: string) {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const spares = literal(join(dataDir, 'lambda', 'environments', 'environments'));
  return {
    taskRoot: (codeSha256: string) =>
      mode === 'bwrap'
        ? '/var/task'
        : expect.stringMatching(
            new RegExp(`^(${literal(extractedDir(dataDir, codeSha256))}|${spares}/[0-9a-f]+/task)$`),
          ),
    opt: (layerSha256: string) => (mode === 'bwrap' ? '/opt' : extractedDir(dataDir, layerSha256)),
  };
}

/** Creates a function from in-memory files (Node.js 20, `index.handler` unless told otherwise). */
export async function createFunction(
  lambda: LambdaClient,
  name: string,
  files: Record<string, ZipEntry>,
  options: FunctionOptions = {},
) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: options.runtime ?? 'nodejs20.x',
      Handler: options.handler ?? 'index.handler',
      Role: testRole,
      Code: { ZipFile: await zipOf(files) },
      Timeout: options.Timeout ?? 10,
      MemorySize: options.MemorySize ?? 128,
      ...(options.Layers ? { Layers: options.Layers } : {}),
      ...(options.Environment ? { Environment: { Variables: options.Environment } } : {}),
    }),
  );
}

/** Every message in the function's log group (optionally matching a filter pattern), oldest first. */
export async function logMessages(
  logs: CloudWatchLogsClient,
  functionName: string,
  pattern?: string,
): Promise<string[]> {
  return (await logEvents(logs, functionName, pattern)).map((e) => e.message);
}

/** Like logMessages, with the stream each message is in. */
export async function logEvents(
  logs: CloudWatchLogsClient,
  functionName: string,
  pattern?: string,
): Promise<{ message: string; logStreamName: string }[]> {
  const events: { message: string; logStreamName: string }[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: `/aws/lambda/${functionName}`,
          ...(pattern ? { filterPattern: pattern } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      events.push(...page.events!.map((e) => ({ message: e.message!, logStreamName: e.logStreamName! })));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    // No invocation has logged yet.
    if ((err as Error).name === 'ResourceNotFoundException') return [];
    throw err;
  }
  return events;
}

/** Polls `probe` until it returns a value `done` accepts, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, everyMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
