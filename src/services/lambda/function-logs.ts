/**
 * Delivers what a function logged to CloudWatch Logs, through its public operations, the way
 * Lambda does: group `/aws/lambda/<name>` (or the function's LoggingConfig.LogGroup), one stream
 * per execution environment.
 *
 * Delivery is write-behind, as on Lambda, where logs reach CloudWatch after the invocation
 * returns: `deliver` queues, and a flush up to 100 ms later writes everything queued, one
 * PutLogEvents per stream (what one stream gathered meanwhile shares a write, and the streams
 * share a commit). Each flush is registered in `PendingWrites` the moment its first log is
 * queued, and a CloudWatch Logs read on this node starts it at once and waits for it: a client
 * that reads the log after its Invoke returned sees it, without waiting out the gathering.
 */
import type { Logger } from 'pino';
import type { PendingWrites } from '../../engine/pending-writes.js';
import type { InvocationResult } from '../../functions/types.js';
import { isServiceError } from '../../protocol/errors.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';

/**
 * How long logs gather before a flush: the streams of every invocation that ended meanwhile are
 * written in one commit (CloudWatch Logs groups concurrent puts). At 5 ms a flush served about
 * one warm invoke, and its commit cost the next invoke 15% of its throughput; a read does not
 * wait this out (it expedites the flush), and a crash loses at most this much of the logs.
 */
const flushDelayMs = 100;
/** CloudWatch Logs' PutLogEvents limits: 10 000 events and 1 MB (each event counts 26 bytes more). */
const maxEventsPerPut = 10_000;
const maxBytesPerPut = 1_048_576;

type LogEvent = InvocationResult['logEvents'][number];

interface StreamBatch {
  at: Region;
  logGroupName: string;
  logStreamName: string;
  events: LogEvent[];
}

export class FunctionLogs {
  /** Groups and streams already known to exist, so a warm invoke costs one PutLogEvents. */
  private readonly known = new Set<string>();
  private queued = new Map<string, StreamBatch>();
  /** The next flush, once something is queued for it, and what ends it. */
  private nextFlush: Promise<void> | undefined;
  private nextFlushDone: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  /** The latest write per stream: a stream's writes go one after another, so its events stay in order. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly services: ServiceCaller,
    private readonly pendingWrites: PendingWrites,
    private readonly logger: Logger,
  ) {}

  /**
   * Queues the invocation's log for the next flush; resolves once that flush is written (or failed
   * and was reported). `now` starts the flush at once, for callers that must not acknowledge an
   * event (an async invocation, a queue's messages) before its log is durable: a crash in between
   * runs the event again instead of losing its log.
   */
  deliver(at: Region, logGroupName: string, result: InvocationResult, now = false): Promise<void> {
    if (result.logEvents.length === 0) return Promise.resolve();
    const key = `${at.accountId}/${at.region}/${logGroupName}/${result.logStreamName}`;
    const batch = this.queued.get(key);
    if (batch) batch.events.push(...result.logEvents);
    else
      this.queued.set(key, {
        at,
        logGroupName,
        logStreamName: result.logStreamName,
        events: [...result.logEvents],
      });
    let flushed = this.nextFlush;
    if (!flushed) {
      flushed = this.nextFlush = new Promise<void>((resolve) => (this.nextFlushDone = resolve));
      this.pendingWrites.track('logs', flushed, () => this.flush());
      this.flushTimer = setTimeout(() => this.flush(), flushDelayMs);
    }
    if (now) this.flush();
    return flushed;
  }

  /**
   * The logs were wiped (a reset): drops what is queued, waits for writes under way, and forgets
   * which groups exist, so nothing delivered before the wipe lands after it.
   */
  async discard(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.queued = new Map();
    const done = this.nextFlushDone;
    this.nextFlush = undefined;
    this.nextFlushDone = undefined;
    done?.();
    await Promise.all(this.writing.values());
    this.known.clear();
  }

  /** Resolves once everything delivered so far is written (or failed and was reported). */
  async settled(): Promise<void> {
    if (this.queued.size > 0) this.flush();
    await Promise.all(this.writing.values());
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const done = this.nextFlushDone;
    this.nextFlush = undefined;
    this.nextFlushDone = undefined;
    const batches = this.queued;
    this.queued = new Map();
    const writes: Promise<void>[] = [];
    for (const [key, batch] of batches) {
      const write = (this.writing.get(key) ?? Promise.resolve())
        .then(() => this.write(key, batch))
        .catch((err) =>
          this.logger.warn({ err, logGroupName: batch.logGroupName }, 'could not deliver function logs'),
        );
      this.writing.set(key, write);
      writes.push(write);
      void write.finally(() => {
        if (this.writing.get(key) === write) this.writing.delete(key);
      });
    }
    void Promise.all(writes).then(() => done?.());
  }

  private async write(key: string, batch: StreamBatch): Promise<void> {
    // PutLogEvents wants a batch in time order; Stratus's clock moved back mid-invocation breaks it.
    const ordered = batch.events.toSorted((a, b) => a.timestamp - b.timestamp);
    for (const events of putSizedChunks(ordered)) await this.put(key, { ...batch, events });
  }

  private async put(key: string, batch: StreamBatch): Promise<void> {
    const { at, logGroupName, logStreamName } = batch;
    if (!this.known.has(key)) {
      await this.ignoreExisting(this.services.call('logs', 'CreateLogGroup', { logGroupName }, at));
      await this.ignoreExisting(
        this.services.call('logs', 'CreateLogStream', { logGroupName, logStreamName }, at),
      );
      this.known.add(key);
    }
    try {
      await this.services.call(
        'logs',
        'PutLogEvents',
        { logGroupName, logStreamName, logEvents: batch.events },
        at,
      );
    } catch (err) {
      // The group or stream was deleted since we saw it: create them again once.
      if (!isServiceError(err) || err.code !== 'ResourceNotFoundException' || !this.known.has(key)) throw err;
      this.known.delete(key);
      await this.put(key, batch);
    }
  }

  private async ignoreExisting(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (err) {
      if (!isServiceError(err) || err.code !== 'ResourceAlreadyExistsException') throw err;
    }
  }
}

function* putSizedChunks(events: LogEvent[]): Generator<LogEvent[]> {
  let chunk: LogEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message) + 26;
    if (chunk.length > 0 && (chunk.length === maxEventsPerPut || bytes + size > maxBytesPerPut)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** `LogType: Tail`: the last 4 KB of the invocation's log, base64-encoded. */
export function logTail(result: InvocationResult): string {
  const text = Buffer.from(
    result.logEvents.map((e) => (e.message.endsWith('\n') ? e.message : `${e.message}\n`)).join(''),
  );
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}
