/** `stratus invoke <function>`: run a function once and print what it returned. */
import { readFile } from 'node:fs/promises';
import { UsageError, type FlagValues } from './command.js';
import { connectionFlags, connectionOf, reportingFailures, type OperandCommand } from './functions.js';

/** `--payload '{"a":1}'` or `--payload @event.json`; Lambda takes only JSON events. */
async function payloadOf(values: FlagValues): Promise<Buffer | undefined> {
  const given = values.payload;
  if (typeof given !== 'string') return undefined;
  let text = given;
  if (given.startsWith('@')) {
    const path = given.slice(1);
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read --payload file '${path}': ${(err as { code?: string }).code ?? String(err)}`,
      );
    }
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--payload is not JSON: ${(err as Error).message}`);
  }
  return Buffer.from(text);
}

/** Pretty JSON when the payload is JSON, else its text as is. */
export function formatPayload(payload: Uint8Array | undefined): string {
  const text = Buffer.from(payload ?? []).toString('utf8');
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  }
}

/**
 * Lambda's error document as `errorType: errorMessage`, then its stack as the runtime wrote it
 * (Python's `stackTrace` frames, Node.js's `trace` lines, whose first repeats the message).
 */
export function formatFunctionError(payload: Uint8Array | undefined): string {
  const text = Buffer.from(payload ?? []).toString('utf8');
  let doc: { errorType?: unknown; errorMessage?: unknown; stackTrace?: unknown; trace?: unknown } | undefined;
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    doc = undefined;
  }
  if (typeof doc !== 'object' || doc === null) return `${text}\n`;
  const headline = `${typeof doc.errorType === 'string' ? doc.errorType : 'Error'}: ${
    typeof doc.errorMessage === 'string' ? doc.errorMessage : ''
  }`;
  const frames = Array.isArray(doc.stackTrace) ? doc.stackTrace : Array.isArray(doc.trace) ? doc.trace : [];
  const stack = frames
    .map((frame) => String(frame).replace(/\n+$/, ''))
    .filter((frame, i) => i > 0 || frame !== headline);
  return [headline, ...stack].map((line) => `${line}\n`).join('');
}

export const invoke: OperandCommand = {
  name: 'invoke',
  operands: [{ name: 'FUNCTION', key: 'function' }],
  summary: 'Invoke a function and print its response',
  description: [
    'Invokes FUNCTION (a name, name:qualifier or ARN) and prints its response, as pretty JSON when',
    'it is JSON. A function error is printed on stderr as "errorType: errorMessage" and exits 1.',
    'With --async the event is queued (InvocationType Event) and "queued (202)" printed.',
  ].join('\n'),
  flags: {
    payload: { type: 'string', arg: 'JSON', describe: 'The event: JSON, or @FILE to read it from a file' },
    qualifier: { type: 'string', arg: 'Q', describe: 'A version number or alias to invoke' },
    async: { type: 'boolean', describe: 'Queue the event and return at once (InvocationType Event)' },
    log: { type: 'boolean', describe: "Print the invocation's last 4 KB of logs on stderr" },
    ...connectionFlags,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    if (values.async && values.log)
      throw new UsageError('--log needs a synchronous invocation; drop --async');
    const payload = await payloadOf(values);
    const functionName = String(values.function);
    return reportingFailures('invoke', connection, async () => {
      const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
      const client = new LambdaClient(connection.clientConfig);
      let response;
      try {
        response = await client.send(
          new InvokeCommand({
            FunctionName: functionName,
            ...(typeof values.qualifier === 'string' ? { Qualifier: values.qualifier } : {}),
            ...(payload ? { Payload: payload } : {}),
            InvocationType: values.async ? 'Event' : 'RequestResponse',
            ...(values.log ? { LogType: 'Tail' } : {}),
          }),
        );
      } finally {
        client.destroy();
      }
      if (values.async) {
        process.stdout.write(`queued (${response.StatusCode})\n`);
        return 0;
      }
      if (response.LogResult)
        process.stderr.write(Buffer.from(response.LogResult, 'base64').toString('utf8'));
      if (response.FunctionError) {
        process.stderr.write(
          `stratus invoke: ${functionName} failed: ${formatFunctionError(response.Payload)}`,
        );
        return 1;
      }
      process.stdout.write(formatPayload(response.Payload));
      return 0;
    });
  },
};
