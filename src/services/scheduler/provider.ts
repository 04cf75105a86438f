/**
 * Amazon EventBridge Scheduler operations: schedules, schedule groups and their tags. Each method
 * names the AWS operation and hands over to schedules.ts; firing is firing.ts, invoking worker.ts.
 *
 * Differences from AWS (docs/differences.md): targets need no role (RoleArn is kept, not
 * assumed); KMS keys are kept, not used; a deleted group's schedules go at once (no DELETING
 * state); ECS, Kinesis, SageMaker and Step Functions targets are accepted and fail when invoked;
 * after downtime a schedule fires once, for the latest time it missed.
 */
import type * as Scheduler from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../service.js';
import type { Schedules } from './schedules.js';

export class SchedulerProvider {
  constructor(private readonly schedules: Schedules) {}

  CreateSchedule(input: Scheduler.CreateScheduleInput, at: RequestContext) {
    return this.schedules.create(at, input);
  }

  GetSchedule(input: Scheduler.GetScheduleInput, at: RequestContext) {
    return this.schedules.describe(at, input.GroupName, input.Name!);
  }

  UpdateSchedule(input: Scheduler.UpdateScheduleInput, at: RequestContext) {
    return this.schedules.update(at, input);
  }

  async DeleteSchedule(input: Scheduler.DeleteScheduleInput, at: RequestContext) {
    await this.schedules.delete(at, input.GroupName, input.Name!);
    return {};
  }

  ListSchedules(input: Scheduler.ListSchedulesInput, at: RequestContext) {
    return this.schedules.list(at, input);
  }

  CreateScheduleGroup(input: Scheduler.CreateScheduleGroupInput, at: RequestContext) {
    return this.schedules.createGroup(at, input);
  }

  GetScheduleGroup(input: Scheduler.GetScheduleGroupInput, at: RequestContext) {
    return this.schedules.describeGroup(at, input.Name!);
  }

  async DeleteScheduleGroup(input: Scheduler.DeleteScheduleGroupInput, at: RequestContext) {
    await this.schedules.deleteGroup(at, input.Name!);
    return {};
  }

  ListScheduleGroups(input: Scheduler.ListScheduleGroupsInput, at: RequestContext) {
    return this.schedules.listGroups(at, input);
  }

  async TagResource(input: Scheduler.TagResourceInput) {
    await this.schedules.tags(input.ResourceArn!, (tags) => {
      for (const tag of input.Tags ?? []) tags[tag.Key!] = tag.Value!;
    });
    return {};
  }

  async UntagResource(input: Scheduler.UntagResourceInput) {
    await this.schedules.tags(input.ResourceArn!, (tags) => {
      for (const key of input.TagKeys ?? []) delete tags[key];
    });
    return {};
  }

  async ListTagsForResource(input: Scheduler.ListTagsForResourceInput) {
    return { Tags: await this.schedules.tags(input.ResourceArn!) };
  }
}
