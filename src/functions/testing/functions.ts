/**
 * Test support for the execution engine: functions written as plain files in a temporary
 * directory (FunctionSpec.codeDir is an extracted directory, so no zip is needed), specs with
 * Lambda's defaults, and helpers to read results.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FunctionSpec, InvocationRequest, InvocationResult } from '../types.js';

export type Files = Record<string, string | { content: string; mode: number }>;

export class FunctionFiles {
  readonly root = mkdtempSync(join(tmpdir(), 'stratus-functions-'));
  private count = 0;

  constructor() {
    chmodSync(this.root, 0o755);
  }

  /** Writes `files` into a new directory (code or a layer) and returns it. */
  write(files: Files): string {
    const dir = join(this.root, `d${++this.count}`);
    for (const [name, file] of Object.entries(files)) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
      const { content, mode } = typeof file === 'string' ? { content: file, mode: 0o644 } : file;
      writeFileSync(path, content);
      chmodSync(path, mode);
    }
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    return dir;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

let specs = 0;

export function testSpec(fields: Partial<FunctionSpec> & Pick<FunctionSpec, 'codeDir'>): FunctionSpec {
  const functionName = fields.functionName ?? `fn${++specs}`;
  const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
  return {
    key: `${functionArn}:$LATEST#${randomUUID()}`,
    functionName,
    version: '$LATEST',
    functionArn,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    layerDirs: [],
    memoryMb: 128,
    timeoutSeconds: 3,
    ephemeralStorageMb: 512,
    environment: {},
    logGroupName: `/aws/lambda/${functionName}`,
    accountId: '000000000000',
    region: 'us-east-1',
    endpointUrl: 'http://127.0.0.1:4566',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'token' },
    ...fields,
  };
}

export function request(spec: FunctionSpec, payload: unknown = {}): InvocationRequest {
  return {
    requestId: randomUUID(),
    payload: Buffer.from(JSON.stringify(payload)),
    invokedFunctionArn: spec.functionArn,
  };
}

/** The outcome's payload, parsed. */
export function payloadOf(result: InvocationResult): unknown {
  return JSON.parse(result.outcome.payload.toString('utf8'));
}

export function messages(result: InvocationResult): string[] {
  return result.logEvents.map((event) => event.message);
}
