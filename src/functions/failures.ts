/**
 * Lambda's error documents for the ways an invocation can fail. A handler's own error is the
 * document its runtime posted; the platform's errors (timeout, a runtime that exited or ran out of
 * memory, a missing bootstrap) are written here in the words Lambda uses.
 */
import type { InvocationOutcome } from './types.js';
import { MAX_RESPONSE_BYTES } from './runtime-api.js';

export type ErrorOutcome = Extract<InvocationOutcome, { kind: 'error' }>;

function platformError(errorType: string, errorMessage: string, cause: ErrorOutcome['cause']): ErrorOutcome {
  return {
    kind: 'error',
    errorType,
    errorMessage,
    cause,
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage })),
  };
}

/** What the runtime posted to `/error` or `/init/error`, kept as the payload when it is a JSON document. */
export function runtimeReported(errorType: string, body: Buffer, cause: 'handler' | 'init'): ErrorOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    doc = undefined;
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const message = (doc as { errorMessage?: unknown }).errorMessage;
    return {
      kind: 'error',
      errorType,
      errorMessage: typeof message === 'string' ? message : '',
      cause,
      payload: body,
    };
  }
  return platformError(errorType, body.toString('utf8'), cause);
}

export const timedOut = (requestId: string, timeoutSeconds: number) =>
  platformError(
    'Sandbox.Timedout',
    `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    'timeout',
  );

/** The runtime process ended while it owed an answer (or during init). */
export function exited(
  requestId: string,
  reason: string,
  outOfMemory: boolean,
  duringInit: boolean,
): ErrorOutcome {
  const errorType = outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
  const cause = duringInit ? 'init' : outOfMemory ? 'outOfMemory' : 'runtimeExit';
  return platformError(
    errorType,
    `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
    cause,
  );
}

export const invalidEntrypoint = (message: string) =>
  platformError('Runtime.InvalidEntrypoint', message, 'init');

export const responseTooLarge = (bytes: number) =>
  platformError(
    'Function.ResponseSizeTooLarge',
    `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    'handler',
  );

const SIGNALS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
};
const SIGNAL_NUMBERS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  15: 'SIGTERM',
};

/**
 * How a process ended, in Go's words as Lambda prints them (`exit status 1`, `signal: killed`).
 * bubblewrap reports a signalled child as exit status 128+n, so those codes read as signals.
 */
export function exitReason(code: number | null, signal: NodeJS.Signals | null, viaBwrap: boolean): string {
  const name = signal ?? (viaBwrap && code !== null && code > 128 ? SIGNAL_NUMBERS[code - 128] : undefined);
  if (name) return `signal: ${SIGNALS[name] ?? name.toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}
