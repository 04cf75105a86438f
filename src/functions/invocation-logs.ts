/**
 * What an execution environment logs, as Lambda writes it to CloudWatch Logs: the function's
 * output (stdout/stderr split into lines; framed records on the telemetry descriptor kept whole, so
 * a multi-line `console.log` stays one event) and the platform's own lines (`INIT_START`, `START`,
 * `END`, `REPORT` …). Every message ends with a newline, as Lambda's do.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface LogEvent {
  timestamp: number;
  message: string;
}

/** `YYYY/MM/DD/[<version>]<32 lowercase hex>`, the date in UTC. */
export function logStreamName(version: string, now: Date): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** Splits a byte stream into lines, each stamped when its end arrived. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly emit: (event: LogEvent) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const timestamp = Date.now();
    for (const line of lines) this.emit({ timestamp, message: `${line}\n` });
  }

  /** Emits a last line that had no newline yet. */
  flush(): void {
    if (!this.partial) return;
    this.emit({ timestamp: Date.now(), message: `${this.partial}\n` });
    this.partial = '';
  }
}

/**
 * Lambda's telemetry log framing, used by its runtimes when `_LAMBDA_TELEMETRY_LOG_FD` is set:
 * a 16-byte header (u32 frame type 0xa55a0002/0xa55a0003, u32 length, u64 timestamp in
 * microseconds, all big-endian) and the record.
 */
export class TelemetryDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly emit: (event: LogEvent) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 16) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 16 + length) return;
      const timestamp = Number(this.pending.readBigUInt64BE(8) / 1000n);
      const record = this.pending.subarray(16, 16 + length).toString('utf8');
      this.pending = this.pending.subarray(16 + length);
      this.emit({ timestamp, message: record.endsWith('\n') ? record : `${record}\n` });
    }
  }
}

/**
 * `INIT_START`'s runtime version and its ARN for Stratus's runtimes (`nodejs:20.stratus`, where
 * Lambda writes `nodejs:20.v13`).
 */
export function runtimeVersion(runtime: string, region: string): [version: string, arn: string] {
  const [, language = runtime, version = ''] = /^([a-z]+)(.*)$/.exec(runtime.replace(/\.x$/, '')) ?? [];
  const name = `${language}:${version.replace(/^\./, '')}.stratus`;
  const hash = createHash('sha256').update(name).digest('hex');
  return [name, `arn:aws:lambda:${region}::runtime:${hash}`];
}

const ms = (value: number) => value.toFixed(2);

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** Set when the platform, not the function, ended the invocation. */
  status?: { status: 'timeout' } | { status: 'error'; errorType: string };
}

export const platformLines = {
  initStart: (runtimeVersion: string, runtimeVersionArn: string) =>
    `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${runtimeVersionArn}\n`,
  initReport: (initDurationMs: number, errorType: string) =>
    `INIT_REPORT Init Duration: ${ms(initDurationMs)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}\n`,
  start: (requestId: string, version: string) => `START RequestId: ${requestId} Version: ${version}\n`,
  end: (requestId: string) => `END RequestId: ${requestId}\n`,
  timedOut: (requestId: string, timeoutSeconds: number, at: Date) =>
    `${at.toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds\n`,
  exited: (requestId: string, reason: string, errorType: string) =>
    `RequestId: ${requestId} Error: Runtime exited with error: ${reason}\n${errorType}\n`,
  report(fields: ReportFields): string {
    let line =
      `REPORT RequestId: ${fields.requestId}\tDuration: ${ms(fields.durationMs)} ms\t` +
      `Billed Duration: ${fields.billedDurationMs} ms\tMemory Size: ${fields.memorySizeMb} MB\t` +
      `Max Memory Used: ${fields.maxMemoryUsedMb} MB\t`;
    if (fields.initDurationMs !== undefined) line += `Init Duration: ${ms(fields.initDurationMs)} ms\t`;
    if (fields.status?.status === 'timeout') line += 'Status: timeout\t';
    if (fields.status?.status === 'error') line += `Status: error\tError Type: ${fields.status.errorType}\t`;
    return `${line}\n`;
  },
};

/** CloudWatch Logs' largest event (256 KB, of which 26 bytes are overhead). */
const MAX_EVENT_BYTES = 262_118;
/** What Stratus keeps of one invocation's output before it drops the rest. */
const MAX_INVOCATION_LOG_BYTES = 16 * 1024 * 1024;

/** Collects log events until they are taken, bounded so a chatty function cannot exhaust Stratus. */
export class LogSink {
  private events: LogEvent[] = [];
  private bytes = 0;
  private dropped = false;

  add(event: LogEvent): void {
    if (this.bytes >= MAX_INVOCATION_LOG_BYTES) {
      if (!this.dropped)
        this.events.push({ timestamp: event.timestamp, message: 'Stratus: log output truncated\n' });
      this.dropped = true;
      return;
    }
    const message =
      event.message.length > MAX_EVENT_BYTES
        ? `${event.message.slice(0, MAX_EVENT_BYTES - 1)}\n`
        : event.message;
    this.bytes += message.length;
    this.events.push({ timestamp: event.timestamp, message });
  }

  take(): LogEvent[] {
    const events = this.events;
    this.events = [];
    this.bytes = 0;
    this.dropped = false;
    return events;
  }
}
