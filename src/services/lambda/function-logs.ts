/**
 * Delivers what a function logged to CloudWatch Logs, through its public operations, the way
 * Lambda does: group `/aws/lambda/<name>` (or the function's LoggingConfig.LogGroup), one stream
 * per execution environment.
 */
import type { InvocationResult } from '../../functions/types.js';
import { isServiceError } from '../../protocol/errors.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';

export class FunctionLogs {
  /** Groups and streams already known to exist, so a warm invoke costs one PutLogEvents. */
  private readonly known = new Set<string>();

  constructor(private readonly services: ServiceCaller) {}

  async deliver(at: Region, logGroupName: string, result: InvocationResult): Promise<void> {
    if (result.logEvents.length === 0) return;
    const streamKey = `${at.accountId}/${at.region}/${logGroupName}/${result.logStreamName}`;
    if (!this.known.has(streamKey)) {
      await this.ignoreExisting(this.services.call('logs', 'CreateLogGroup', { logGroupName }, at));
      await this.ignoreExisting(
        this.services.call(
          'logs',
          'CreateLogStream',
          { logGroupName, logStreamName: result.logStreamName },
          at,
        ),
      );
      this.known.add(streamKey);
    }
    try {
      await this.put(at, logGroupName, result);
    } catch (err) {
      // The group or stream was deleted since we saw it: create them again once.
      if (!isServiceError(err) || err.code !== 'ResourceNotFoundException') throw err;
      this.known.delete(streamKey);
      await this.deliver(at, logGroupName, result);
    }
  }

  private async put(at: Region, logGroupName: string, result: InvocationResult): Promise<void> {
    await this.services.call(
      'logs',
      'PutLogEvents',
      { logGroupName, logStreamName: result.logStreamName, logEvents: result.logEvents },
      at,
    );
  }

  private async ignoreExisting(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (err) {
      if (!isServiceError(err) || err.code !== 'ResourceAlreadyExistsException') throw err;
    }
  }
}

/** `LogType: Tail`: the last 4 KB of the invocation's log, base64-encoded. */
export function logTail(result: InvocationResult): string {
  const text = Buffer.from(
    result.logEvents.map((e) => (e.message.endsWith('\n') ? e.message : `${e.message}\n`)).join(''),
  );
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}
