/**
 * Delivers a service's own log lines to CloudWatch Logs through its public operations: Lambda's
 * function logs, API Gateway's access logs.
 *
 * Delivery is write-behind, as AWS's is, where logs reach CloudWatch after the call they describe
 * returned: `deliver` queues, and a flush up to 100 ms later writes everything queued, one
 * PutLogEvents per stream (what one stream gathered meanwhile shares a write, and the streams
 * share a commit). Each flush is registered in `PendingWrites` the moment its first line is
 * queued, and a CloudWatch Logs read on this node starts it at once and waits for it: a client
 * that reads the log right after its call returned sees it, without waiting out the gathering.
 *
 * Whether a missing log group is made is the deliverer's choice: Lambda creates its function's
 * group; API Gateway writes access logs only to a group that exists, and drops them otherwise.
 */
import type { Logger } from 'pino';
import { isServiceError } from '../protocol/errors.js';
import type { ServiceCaller } from '../services/service.js';
import type { PendingWrites } from './pending-writes.js';

/**
 * How long lines gather before a flush: the streams of every call that ended meanwhile are
 * written in one commit (CloudWatch Logs groups concurrent puts). At 5 ms a flush served about
 * one warm invoke, and its commit cost the next invoke 15% of its throughput; a read does not
 * wait this out (it expedites the flush), and a crash loses at most this much of the logs.
 */
const flushDelayMs = 100;
/** CloudWatch Logs' PutLogEvents limits: 10 000 events and 1 MB (each event counts 26 bytes more). */
const maxEventsPerPut = 10_000;
const maxBytesPerPut = 1_048_576;

export interface LogEvent {
  /** Milliseconds since the epoch, Stratus's clock. */
  timestamp: number;
  message: string;
}

/** Where lines go: the account and region of the log group, the group and the stream. */
export interface LogDestination {
  at: { accountId: string; region: string };
  logGroupName: string;
  logStreamName: string;
}

export interface LogDeliveryOptions {
  /** Create the log group when it does not exist (Lambda), or drop what was meant for it (API Gateway). */
  createMissingGroups: boolean;
  /** What is delivered, for the warnings (`function logs`, `access logs`). */
  describes: string;
}

interface StreamBatch extends LogDestination {
  events: LogEvent[];
}

export class LogDelivery {
  /** Groups and streams already known to exist, so a steady stream costs one PutLogEvents per flush. */
  private readonly known = new Set<string>();
  /** Streams whose group was missing at their last write: warned once, until a write succeeds. */
  private readonly missing = new Set<string>();
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
    private readonly options: LogDeliveryOptions,
  ) {}

  /**
   * Queues the lines for the next flush; resolves once that flush is written (or failed and was
   * reported). `now` starts the flush at once, for callers that must not acknowledge an event (an
   * async invocation, a queue's messages) before its log is durable: a crash in between runs the
   * event again instead of losing its log.
   */
  deliver(to: LogDestination, events: readonly LogEvent[], now = false): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const key = `${to.at.accountId}/${to.at.region}/${to.logGroupName}/${to.logStreamName}`;
    const batch = this.queued.get(key);
    if (batch) batch.events.push(...events);
    else this.queued.set(key, { ...to, events: [...events] });
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
    this.missing.clear();
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
          this.logger.warn(
            { err, logGroupName: batch.logGroupName },
            `could not deliver ${this.options.describes}`,
          ),
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
    // PutLogEvents wants a batch in time order; Stratus's clock moved back meanwhile breaks it.
    const ordered = batch.events.toSorted((a, b) => a.timestamp - b.timestamp);
    try {
      for (const events of putSizedChunks(ordered)) await this.put(key, { ...batch, events });
      this.missing.delete(key);
    } catch (err) {
      if (this.options.createMissingGroups || !isNotFound(err)) throw err;
      // The destination must exist, as on AWS: what was meant for a missing group is dropped.
      if (!this.missing.has(key)) {
        this.missing.add(key);
        this.logger.warn(
          { logGroupName: batch.logGroupName },
          `${this.options.describes} dropped: their log group does not exist`,
        );
      }
    }
  }

  private async put(key: string, batch: StreamBatch): Promise<void> {
    const { at, logGroupName, logStreamName } = batch;
    if (!this.known.has(key)) {
      if (this.options.createMissingGroups) {
        await this.ignoreExisting(this.services.call('logs', 'CreateLogGroup', { logGroupName }, at));
      }
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
      if (!isNotFound(err) || !this.known.has(key)) throw err;
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

function isNotFound(err: unknown): boolean {
  return isServiceError(err) && err.code === 'ResourceNotFoundException';
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
