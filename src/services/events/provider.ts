/**
 * Amazon EventBridge operations: event buses and their policies, rules, targets, PutEvents,
 * TestEventPattern, archives and replays, connections and API destinations, tags. Each method
 * names the AWS operation and hands over to its module; deliveries are durable work items done by
 * the delivery worker (delivery.ts).
 *
 * Differences from AWS (docs/differences.md): bus policies are kept and shown but not enforced,
 * and targets need no resource policy or role; scheduled rules fire at the start of their minute,
 * and after downtime once for the latest time missed; archives are not shown as managed rules;
 * API destinations take `http://` endpoints and do not enforce their invocation rate; partner
 * event sources, global endpoints and PutPartnerEvents are not served; targets other than Lambda,
 * SQS, SNS, Step Functions, event buses and API destinations are accepted but never delivered to.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../service.js';
import type { ApiDestinations } from './api-destinations.js';
import type { Archives } from './archives.js';
import type { Buses } from './buses.js';
import type { Connections } from './connections.js';
import type { EventIngest } from './put-events.js';
import type { Replays } from './replays.js';
import type { Rules } from './rules.js';
import { tagList, tagsFrom, type Tagging } from './tags.js';
import type { Targets } from './targets.js';
import { testEventPattern } from './test-event-pattern.js';

export interface EventsModules {
  buses: Buses;
  rules: Rules;
  targets: Targets;
  tagging: Tagging;
  ingest: EventIngest;
  archives: Archives;
  replays: Replays;
  connections: Connections;
  apiDestinations: ApiDestinations;
}

export class EventsProvider {
  constructor(private readonly m: EventsModules) {}

  // Event buses

  CreateEventBus(input: EventBridge.CreateEventBusRequest, at: RequestContext) {
    return this.m.buses.create(at, input);
  }

  async DeleteEventBus(input: EventBridge.DeleteEventBusRequest, at: RequestContext): Promise<void> {
    await this.m.buses.delete(at, input.Name!);
  }

  DescribeEventBus(input: EventBridge.DescribeEventBusRequest, at: RequestContext) {
    return this.m.buses.describe(at, input.Name);
  }

  ListEventBuses(input: EventBridge.ListEventBusesRequest, at: RequestContext) {
    return this.m.buses.list(at, input);
  }

  UpdateEventBus(input: EventBridge.UpdateEventBusRequest, at: RequestContext) {
    return this.m.buses.update(at, input);
  }

  async PutPermission(input: EventBridge.PutPermissionRequest, at: RequestContext): Promise<void> {
    await this.m.buses.putPermission(at, input);
  }

  async RemovePermission(input: EventBridge.RemovePermissionRequest, at: RequestContext): Promise<void> {
    await this.m.buses.removePermission(at, input);
  }

  // Rules and targets

  PutRule(input: EventBridge.PutRuleRequest, at: RequestContext) {
    return this.m.rules.put(at, input);
  }

  DescribeRule(input: EventBridge.DescribeRuleRequest, at: RequestContext) {
    return this.m.rules.describe(at, input.Name!, input.EventBusName);
  }

  ListRules(input: EventBridge.ListRulesRequest, at: RequestContext) {
    return this.m.rules.list(at, input);
  }

  async EnableRule(input: EventBridge.EnableRuleRequest, at: RequestContext): Promise<void> {
    await this.m.rules.setState(at, input.Name!, input.EventBusName, 'ENABLED');
  }

  async DisableRule(input: EventBridge.DisableRuleRequest, at: RequestContext): Promise<void> {
    await this.m.rules.setState(at, input.Name!, input.EventBusName, 'DISABLED');
  }

  async DeleteRule(input: EventBridge.DeleteRuleRequest, at: RequestContext): Promise<void> {
    await this.m.rules.delete(at, input);
  }

  ListRuleNamesByTarget(input: EventBridge.ListRuleNamesByTargetRequest, at: RequestContext) {
    return this.m.rules.namesByTarget(at, input);
  }

  PutTargets(input: EventBridge.PutTargetsRequest, at: RequestContext) {
    return this.m.targets.put(at, input);
  }

  RemoveTargets(input: EventBridge.RemoveTargetsRequest, at: RequestContext) {
    return this.m.targets.remove(at, input);
  }

  ListTargetsByRule(input: EventBridge.ListTargetsByRuleRequest, at: RequestContext) {
    return this.m.targets.list(at, input);
  }

  // Events

  /** Stratus's own services call this too (ServiceCaller), and may then use `aws.*` sources. */
  PutEvents(input: EventBridge.PutEventsRequest, at: RequestContext) {
    return this.m.ingest.putEvents(at, input);
  }

  TestEventPattern(input: EventBridge.TestEventPatternRequest): EventBridge.TestEventPatternResponse {
    return { Result: testEventPattern(input.EventPattern!, input.Event!) };
  }

  // Tags

  async TagResource(input: EventBridge.TagResourceRequest): Promise<EventBridge.TagResourceResponse> {
    await this.m.tagging.tag(input.ResourceARN!, tagsFrom(input.Tags));
    return {};
  }

  async UntagResource(input: EventBridge.UntagResourceRequest): Promise<EventBridge.UntagResourceResponse> {
    await this.m.tagging.untag(input.ResourceARN!, input.TagKeys!);
    return {};
  }

  async ListTagsForResource(
    input: EventBridge.ListTagsForResourceRequest,
  ): Promise<EventBridge.ListTagsForResourceResponse> {
    return { Tags: tagList(await this.m.tagging.list(input.ResourceARN!)) };
  }

  // Archives and replays

  CreateArchive(input: EventBridge.CreateArchiveRequest, at: RequestContext) {
    return this.m.archives.create(at, input);
  }

  DescribeArchive(input: EventBridge.DescribeArchiveRequest, at: RequestContext) {
    return this.m.archives.describe(at, input.ArchiveName!);
  }

  ListArchives(input: EventBridge.ListArchivesRequest, at: RequestContext) {
    return this.m.archives.list(at, input);
  }

  UpdateArchive(input: EventBridge.UpdateArchiveRequest, at: RequestContext) {
    return this.m.archives.update(at, input);
  }

  async DeleteArchive(input: EventBridge.DeleteArchiveRequest, at: RequestContext) {
    await this.m.archives.delete(at, input.ArchiveName!);
    return {};
  }

  StartReplay(input: EventBridge.StartReplayRequest, at: RequestContext) {
    return this.m.replays.start(at, input);
  }

  DescribeReplay(input: EventBridge.DescribeReplayRequest, at: RequestContext) {
    return this.m.replays.describe(at, input.ReplayName!);
  }

  ListReplays(input: EventBridge.ListReplaysRequest, at: RequestContext) {
    return this.m.replays.list(at, input);
  }

  CancelReplay(input: EventBridge.CancelReplayRequest, at: RequestContext) {
    return this.m.replays.cancel(at, input.ReplayName!);
  }

  // Connections and API destinations

  CreateConnection(input: EventBridge.CreateConnectionRequest, at: RequestContext) {
    return this.m.connections.create(at, input);
  }

  DescribeConnection(input: EventBridge.DescribeConnectionRequest, at: RequestContext) {
    return this.m.connections.describe(at, input.Name!);
  }

  ListConnections(input: EventBridge.ListConnectionsRequest, at: RequestContext) {
    return this.m.connections.list(at, input);
  }

  UpdateConnection(input: EventBridge.UpdateConnectionRequest, at: RequestContext) {
    return this.m.connections.update(at, input);
  }

  DeleteConnection(input: EventBridge.DeleteConnectionRequest, at: RequestContext) {
    return this.m.connections.delete(at, input.Name!);
  }

  DeauthorizeConnection(input: EventBridge.DeauthorizeConnectionRequest, at: RequestContext) {
    return this.m.connections.deauthorize(at, input.Name!);
  }

  CreateApiDestination(input: EventBridge.CreateApiDestinationRequest, at: RequestContext) {
    return this.m.apiDestinations.create(at, input);
  }

  DescribeApiDestination(input: EventBridge.DescribeApiDestinationRequest, at: RequestContext) {
    return this.m.apiDestinations.describe(at, input.Name!);
  }

  ListApiDestinations(input: EventBridge.ListApiDestinationsRequest, at: RequestContext) {
    return this.m.apiDestinations.list(at, input);
  }

  UpdateApiDestination(input: EventBridge.UpdateApiDestinationRequest, at: RequestContext) {
    return this.m.apiDestinations.update(at, input);
  }

  async DeleteApiDestination(input: EventBridge.DeleteApiDestinationRequest, at: RequestContext) {
    await this.m.apiDestinations.delete(at, input.Name!);
    return {};
  }
}
