/**
 * Writes access log lines: each call (or WebSocket event) a stage with access logging served
 * becomes one line in the stage's destination log group, its format's variables filled in,
 * written behind the answer (engine/log-delivery.ts) — a CloudWatch Logs read right after the call
 * sees it. As on AWS, the group must exist (lines for a missing one are dropped) and lines go to
 * streams API Gateway names itself: here one per stage on each node, 32 hex characters.
 *
 * Differences from AWS: Firehose destinations are accepted but nothing is sent to them (Stratus
 * has no Firehose).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { BoundedMap } from '../../../engine/bounded-map.js';
import type { Clock } from '../../../engine/clock.js';
import { LogDelivery } from '../../../engine/log-delivery.js';
import type { PendingWrites } from '../../../engine/pending-writes.js';
import type { ServiceCaller } from '../../service.js';
import type { AccessLogSettings } from '../invoke/call-trace.js';
import type { ApiKind, ApiPlace } from '../tables.js';
import { renderAccessLog, type ContextValues } from './access-log-format.js';
import { destinationOf } from './access-log-settings.js';

/** Stages whose stream names are kept; a forgotten one gets a new stream, as a new AWS host would. */
const STREAMS_KEPT = 10_000;

export class AccessLogs {
  private readonly delivery: LogDelivery;
  private readonly streams = new BoundedMap<string, string>(STREAMS_KEPT);

  constructor(
    services: ServiceCaller,
    pendingWrites: PendingWrites,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.delivery = new LogDelivery(services, pendingWrites, logger, {
      createMissingGroups: false,
      describes: 'API Gateway access logs',
    });
  }

  /** Writes the line of a call a stage of API `apiId` served, if the stage logs access. */
  write(
    api: ApiPlace & { id: string; kind: ApiKind },
    stage: string,
    settings: AccessLogSettings | undefined,
    values: ContextValues,
  ): void {
    if (!settings?.destinationArn || !settings.format) return;
    const destination = destinationOf(settings.destinationArn, api, api.kind);
    if (destination?.kind !== 'logs') {
      this.logger.debug({ destinationArn: settings.destinationArn }, 'access log destination not served');
      return;
    }
    const message = renderAccessLog(settings.format, values).replace(/\r?\n$/, '');
    void this.delivery.deliver(
      {
        at: destination.at,
        logGroupName: destination.logGroupName,
        logStreamName: this.streamOf(api.id, stage),
      },
      [{ timestamp: this.clock.now(), message }],
    );
  }

  /** The logs were wiped (a reset): nothing delivered before lands after. */
  discard(): Promise<void> {
    return this.delivery.discard();
  }

  /** Resolves once every line so far is written. */
  settled(): Promise<void> {
    return this.delivery.settled();
  }

  private streamOf(apiId: string, stage: string): string {
    const key = `${apiId}/${stage}`;
    let stream = this.streams.get(key);
    if (!stream) this.streams.set(key, (stream = randomBytes(16).toString('hex')));
    return stream;
  }
}
