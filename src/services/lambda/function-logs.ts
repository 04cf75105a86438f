/**
 * Delivers what a function logged to CloudWatch Logs the way Lambda does: group
 * `/aws/lambda/<name>` (or the function's LoggingConfig.LogGroup, created when missing), one
 * stream per execution environment, written after the invocation returns (engine/log-delivery.ts:
 * gathered for up to 100 ms, and any CloudWatch Logs read on this node waits for it).
 */
import type { Logger } from 'pino';
import { LogDelivery } from '../../engine/log-delivery.js';
import type { PendingWrites } from '../../engine/pending-writes.js';
import type { InvocationResult } from '../../functions/types.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';

export class FunctionLogs {
  private readonly delivery: LogDelivery;

  constructor(services: ServiceCaller, pendingWrites: PendingWrites, logger: Logger) {
    this.delivery = new LogDelivery(services, pendingWrites, logger, {
      createMissingGroups: true,
      describes: 'function logs',
    });
  }

  /**
   * Queues the invocation's log for the next flush; resolves once that flush is written (or failed
   * and was reported). `now` writes at once, for callers that must not acknowledge an event (an
   * async invocation, a queue's messages) before its log is durable.
   */
  deliver(at: Region, logGroupName: string, result: InvocationResult, now = false): Promise<void> {
    return this.delivery.deliver(
      { at, logGroupName, logStreamName: result.logStreamName },
      result.logEvents,
      now,
    );
  }

  /** The logs were wiped (a reset): nothing delivered before the wipe lands after it. */
  discard(): Promise<void> {
    return this.delivery.discard();
  }

  /** Resolves once everything delivered so far is written (or failed and was reported). */
  settled(): Promise<void> {
    return this.delivery.settled();
  }
}

/** `LogType: Tail`: the last 4 KB of the invocation's log, base64-encoded. */
export function logTail(result: InvocationResult): string {
  const text = Buffer.from(
    result.logEvents.map((e) => (e.message.endsWith('\n') ? e.message : `${e.message}\n`)).join(''),
  );
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}
