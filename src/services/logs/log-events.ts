/** Writing and reading log events: PutLogEvents, GetLogEvents and FilterLogEvents. */
import type {
  FilteredLogEvent,
  InputLogEvent,
  OutputLogEvent,
  RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../engine/clock.js';
import { GroupCommit } from '../../storage/group-commit.js';
import type { Store } from '../../storage/store.js';
import { InvalidParameterException } from './errors.js';
import { compileFilterPattern, FilterPatternSyntaxError } from './filter-pattern.js';
import { retentionCutoff } from './log-groups.js';
import {
  eventQueries,
  streamQueries,
  type EventCursor,
  type LogGroupRow,
  type LogStreamRow,
} from './tables.js';
import { eventToken, listToken, parseEventToken, parseListToken, type Direction } from './tokens.js';

/** AWS counts 26 bytes of overhead per event toward batch and response sizes. */
const eventOverhead = 26;
const maxBatchBytes = 1_048_576;
const maxBatchSpanMs = 24 * 3600 * 1000;
const maxFutureMs = 2 * 3600 * 1000;
const maxAgeMs = 14 * 24 * 3600 * 1000;
const maxResponseBytes = 1_048_576;
const defaultLimit = 10_000;
/** FilterLogEvents reads events in chunks this big and stops a page after scanning this many. */
const scanChunk = 1_000;
const maxScannedPerPage = 100_000;

const endOfTime = Number.MAX_SAFE_INTEGER;

function eventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + eventOverhead;
}

export interface PutResult {
  nextSequenceToken: string;
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

export class LogEvents {
  /** Concurrent PutLogEvents (Lambda's log delivery writes many streams at once) share a commit. */
  private readonly writes: GroupCommit;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.writes = new GroupCommit(store);
  }

  async put(group: LogGroupRow, stream: LogStreamRow, events: readonly InputLogEvent[]): Promise<PutResult> {
    const timestamps = events.map((e) => e.timestamp!);
    for (let i = 1; i < timestamps.length; i++) {
      if (timestamps[i]! < timestamps[i - 1]!) {
        throw new InvalidParameterException(
          'Log events in a single PutLogEvents request must be in chronological order.',
        );
      }
    }
    if (timestamps[timestamps.length - 1]! - timestamps[0]! > maxBatchSpanMs) {
      throw new InvalidParameterException(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }
    const bytes = events.reduce((sum, e) => sum + eventBytes(e.message!), 0);
    if (bytes > maxBatchBytes) {
      throw new InvalidParameterException(
        `Upload too large: ${bytes} bytes exceeds limit of ${maxBatchBytes}`,
      );
    }

    const now = this.clock.now();
    const expiredBefore = retentionCutoff(group, now);
    const tooOldBefore = now - maxAgeMs;
    const tooNewAfter = now + maxFutureMs;
    // Events are sorted, so rejected ones form a prefix (too old, expired) and a suffix (too new).
    let first = 0;
    while (first < events.length && (timestamps[first]! < tooOldBefore || timestamps[first]! < expiredBefore))
      first++;
    let end = events.length;
    while (end > first && timestamps[end - 1]! > tooNewAfter) end--;

    const rejected: RejectedLogEventsInfo = {};
    if (first > 0) {
      const lastTooOld = lastIndexWhere(timestamps, first, (t) => t < tooOldBefore);
      const lastExpired = lastIndexWhere(timestamps, first, (t) => t < expiredBefore);
      if (lastTooOld >= 0) rejected.tooOldLogEventEndIndex = lastTooOld + 1;
      if (lastExpired >= 0) rejected.expiredLogEventEndIndex = lastExpired + 1;
    }
    if (end < events.length) rejected.tooNewLogEventStartIndex = end;

    const accepted = events.slice(first, end).map((e) => ({ timestamp: e.timestamp!, message: e.message! }));
    const sequence = await this.writes.run(async (tx) => {
      if (accepted.length > 0) await eventQueries.insertMany(tx, group.id, stream.id, accepted, now);
      const updated = await streamQueries.recordUpload(tx, stream.id, {
        firstEventAt: accepted[0]?.timestamp ?? stream.first_event_at ?? now,
        lastEventAt: accepted[accepted.length - 1]?.timestamp ?? stream.last_event_at ?? now,
        ingestedAt: now,
        bytes: accepted.reduce((sum, e) => sum + eventBytes(e.message), 0),
      });
      return updated?.upload_sequence ?? 0;
    });
    return {
      nextSequenceToken: String(sequence).padStart(56, '0'),
      ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
    };
  }

  async get(
    group: LogGroupRow,
    stream: LogStreamRow,
    query: {
      startTime?: number;
      endTime?: number;
      nextToken?: string;
      limit?: number;
      startFromHead?: boolean;
    },
  ): Promise<{ events: OutputLogEvent[]; nextForwardToken: string; nextBackwardToken: string }> {
    const startTime = Math.max(query.startTime ?? 0, retentionCutoff(group, this.clock.now()));
    const endTime = query.endTime ?? endOfTime;
    const limit = query.limit ?? defaultLimit;
    let direction: Direction;
    let cursor: EventCursor;
    if (query.nextToken) {
      ({ direction, cursor } = parseEventToken(query.nextToken));
    } else if (query.startFromHead) {
      direction = 'forward';
      cursor = { time: -1, id: 0 };
    } else {
      direction = 'backward';
      cursor = { time: endOfTime, id: 0 };
    }
    const rows = await eventQueries.page(this.store, stream.id, {
      direction,
      cursor,
      startTime,
      endTime,
      limit,
    });
    if (direction === 'backward') rows.reverse();

    // Keep the response under AWS's 1 MB, dropping from the far end of the direction of travel.
    let size = 0;
    let kept = 0;
    const order = direction === 'forward' ? rows : [...rows].reverse();
    for (const row of order) {
      size += eventBytes(row.message);
      if (size > maxResponseBytes) break;
      kept++;
    }
    const page = direction === 'forward' ? rows.slice(0, kept) : rows.slice(rows.length - kept);

    const firstRow = page[0];
    const lastRow = page[page.length - 1];
    const at = (row: { event_time: number; id: number }): EventCursor => ({
      time: row.event_time,
      id: row.id,
    });
    return {
      events: page.map((r) => ({
        timestamp: r.event_time,
        message: r.message,
        ingestionTime: r.ingestion_time,
      })),
      // At the end of the stream a token comes back unchanged: that is how clients know to stop.
      nextForwardToken: eventToken(
        'forward',
        lastRow ? at(lastRow) : direction === 'forward' ? cursor : { time: -1, id: 0 },
      ),
      nextBackwardToken: eventToken('backward', firstRow ? at(firstRow) : cursor),
    };
  }

  async filter(
    group: LogGroupRow,
    streams: readonly LogStreamRow[] | undefined,
    query: {
      startTime?: number;
      endTime?: number;
      filterPattern?: string;
      nextToken?: string;
      limit?: number;
    },
  ): Promise<{ events: FilteredLogEvent[]; nextToken?: string }> {
    let pattern;
    try {
      pattern = compileFilterPattern(query.filterPattern);
    } catch (err) {
      if (err instanceof FilterPatternSyntaxError)
        throw new InvalidParameterException(`Invalid filter pattern: ${err.message}`);
      throw err;
    }
    const startTime = Math.max(query.startTime ?? 0, retentionCutoff(group, this.clock.now()));
    const endTime = query.endTime ?? endOfTime;
    const limit = query.limit ?? defaultLimit;
    let cursor: EventCursor = query.nextToken
      ? parseListToken(query.nextToken, isCursor)
      : { time: -1, id: 0 };
    const streamIds = streams?.map((s) => s.id);
    const names = new Map(streams?.map((s) => [s.id, s.name]));

    const events: FilteredLogEvent[] = [];
    let scanned = 0;
    let exhausted = false;
    while (events.length < limit && scanned < maxScannedPerPage) {
      const rows = await eventQueries.scanGroup(this.store, group.id, {
        streamIds,
        cursor,
        startTime,
        endTime,
        limit: scanChunk,
      });
      for (const row of rows) {
        scanned++;
        cursor = { time: row.event_time, id: row.id };
        if (!pattern.matches(row.message)) continue;
        events.push({
          logStreamName: String(row.stream_id),
          timestamp: row.event_time,
          message: row.message,
          ingestionTime: row.ingestion_time,
          eventId: String(row.id).padStart(20, '0'),
        });
        if (events.length === limit) break;
      }
      if (events.length < limit && rows.length < scanChunk) exhausted = true;
      if (exhausted) break;
    }
    if (!streams) {
      const ids = [...new Set(events.map((e) => Number(e.logStreamName)))];
      const rows = ids.length > 0 ? await streamQueries.byIds(this.store, ids) : [];
      for (const s of rows) names.set(s.id, s.name);
    }
    for (const e of events) e.logStreamName = names.get(Number(e.logStreamName));
    return { events, nextToken: exhausted ? undefined : listToken(cursor) };
  }
}

function isCursor(value: unknown): value is EventCursor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EventCursor).time === 'number' &&
    typeof (value as EventCursor).id === 'number'
  );
}

function lastIndexWhere(values: readonly number[], before: number, test: (v: number) => boolean): number {
  for (let i = before - 1; i >= 0; i--) if (test(values[i]!)) return i;
  return -1;
}
