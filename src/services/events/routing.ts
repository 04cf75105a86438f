/**
 * Routing an event on a bus: each enabled rule whose pattern matches it queues one delivery per
 * target, and each archive of the bus whose pattern matches keeps a copy — all in the caller's
 * transaction. A bus's rules, targets and archives are compiled once and kept until the bus's
 * version moves (any node's change to them bumps it), so routing costs one small read per event
 * once warm. Replayed events reach only the rules a replay names and no archive.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Logger } from 'pino';
import { BoundedMap } from '../../engine/bounded-map.js';
import { branchMatches, compilePattern, flatten, type EventPattern } from '../../patterns/index.js';
import type { Queryable } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { archivedEventQueries, archiveQueries } from './archive-tables.js';
import type { EventEnvelope } from './envelope.js';
import type { Outbox } from './outbox.js';
import { busQueries, ruleQueries, targetQueries } from './tables.js';

interface CompiledRule {
  arn: string;
  name: string;
  pattern: EventPattern;
  targets: EventBridge.Target[];
}

interface CompiledBus {
  version: string;
  rules: CompiledRule[];
  archives: { arn: string; pattern: EventPattern | undefined }[];
}

export interface RouteOptions {
  ingestedAt: number;
  /** Buses the event went through before this one. */
  hops?: string[];
  traceHeader?: string | undefined;
  /** A replay's: only these rules (all of the bus's when undefined), and no archive. */
  replay?: { rules: ReadonlySet<string> | undefined };
}

export class Router {
  private readonly compiled = new BoundedMap<string, CompiledBus>(1000);

  constructor(
    private readonly outbox: Outbox,
    private readonly logger: Logger,
  ) {}

  /** Routes an event on a bus; the number of deliveries queued. A bus that is not there takes nothing. */
  async route(tx: Queryable, busArn: string, event: EventEnvelope, options: RouteOptions): Promise<number> {
    const bus = await this.bus(tx, busArn);
    if (!bus || (bus.rules.length === 0 && bus.archives.length === 0)) return 0;
    const text = JSON.stringify(event);
    const flat = flatten(event);
    const matches = (pattern: EventPattern) => pattern.branches.some((branch) => branchMatches(branch, flat));
    const at = parseArn(busArn)!;
    let queued = 0;
    for (const rule of bus.rules) {
      if (options.replay?.rules && !options.replay.rules.has(rule.arn)) continue;
      if (!matches(rule.pattern)) continue;
      for (const target of rule.targets) {
        await this.outbox.add(tx, {
          kind: 'target',
          at: { accountId: at.accountId, region: at.region },
          busArn,
          ruleArn: rule.arn,
          ruleName: rule.name,
          target,
          eventId: event.id,
          event: text,
          ingestedAt: options.ingestedAt,
          retries: 0,
          hops: options.hops ?? [],
          ...(options.traceHeader !== undefined ? { traceHeader: options.traceHeader } : {}),
        });
        queued++;
      }
    }
    if (!options.replay) {
      for (const archive of bus.archives) {
        if (archive.pattern && !matches(archive.pattern)) continue;
        await archivedEventQueries.insert(tx, archive.arn, options.ingestedAt, text);
      }
    }
    return queued;
  }

  /** Forgets every compiled bus (after a reset). */
  forget(): void {
    this.compiled.clear();
  }

  private async bus(tx: Queryable, arn: string): Promise<CompiledBus | undefined> {
    const version = await busQueries.version(tx, arn);
    if (version === undefined) return undefined;
    const known = this.compiled.get(arn);
    if (known?.version === version) return known;
    const targets = new Map<string, EventBridge.Target[]>();
    for (const row of await targetQueries.ofBus(tx, arn)) {
      const list = targets.get(row.rule_arn) ?? [];
      list.push(JSON.parse(row.definition) as EventBridge.Target);
      targets.set(row.rule_arn, list);
    }
    const rules: CompiledRule[] = [];
    for (const rule of await ruleQueries.routable(tx, arn)) {
      const pattern = this.compile(rule.event_pattern!, rule.arn);
      if (pattern)
        rules.push({ arn: rule.arn, name: rule.name, pattern, targets: targets.get(rule.arn) ?? [] });
    }
    const archives: CompiledBus['archives'] = [];
    for (const archive of await archiveQueries.ofBus(tx, arn)) {
      if (archive.event_pattern === null) archives.push({ arn: archive.arn, pattern: undefined });
      else {
        const pattern = this.compile(archive.event_pattern, archive.arn);
        if (pattern) archives.push({ arn: archive.arn, pattern });
      }
    }
    const compiled = { version, rules, archives };
    this.compiled.set(arn, compiled);
    return compiled;
  }

  /** Patterns were checked when stored; one that no longer compiles (a newer rule set) matches nothing. */
  private compile(pattern: string, owner: string): EventPattern | undefined {
    try {
      return compilePattern(pattern);
    } catch (err) {
      this.logger.warn({ err, owner }, 'a stored event pattern does not compile; it matches nothing');
      return undefined;
    }
  }
}
