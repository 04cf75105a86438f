/**
 * Event-invoke configs: for asynchronous invocations of a function, version or alias, how often to
 * retry (0–2), how old an event may get (60–21600 s, ranges checked by the model) and where to send
 * records of successes and failures. Put replaces a config; Update changes only what it names.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import { parseArn } from '../arn.js';
import { functionArn, parseFunctionName, type Region } from './arns.js';
import { type LambdaContext } from './context.js';
import { InvalidParameterValueException, ResourceNotFoundException } from './errors.js';
import { pageOf } from './paging.js';
import { eventInvokeQueries, type EventInvokeRow } from './settings-tables.js';
import { aliasQueries, functionQueries, versionQueries, type FunctionRow } from './tables.js';

const defaultPageSize = 50;
const destinationServices = new Set(['sqs', 'sns', 'lambda', 'events', 's3']);

type Input = Lambda.PutFunctionEventInvokeConfigRequest;

const missingConfig = (arn: string) =>
  new ResourceNotFoundException(`The function ${arn} doesn't have an EventInvokeConfig`);

export class EventInvokeConfigs {
  constructor(private readonly ctx: LambdaContext) {}

  async put(input: Input, at: Region): Promise<Lambda.FunctionEventInvokeConfig> {
    const { fn, qualifier } = await this.target(input, at);
    await this.checkDestinations(at, fn, input.DestinationConfig);
    return this.save(
      at,
      {
        function_id: fn.id,
        qualifier,
        maximum_retry_attempts: input.MaximumRetryAttempts ?? null,
        maximum_event_age: input.MaximumEventAgeInSeconds ?? null,
        destination_config: JSON.stringify(input.DestinationConfig ?? {}),
        last_modified: this.ctx.clock.now(),
      },
      fn,
    );
  }

  async update(input: Input, at: Region): Promise<Lambda.FunctionEventInvokeConfig> {
    const { fn, qualifier } = await this.target(input, at);
    const current = await eventInvokeQueries.get(this.ctx.store, fn.id, qualifier);
    if (!current) throw missingConfig(functionArn(at, fn.name, qualifier));
    await this.checkDestinations(at, fn, input.DestinationConfig);
    return this.save(
      at,
      {
        ...current,
        maximum_retry_attempts: input.MaximumRetryAttempts ?? current.maximum_retry_attempts,
        maximum_event_age: input.MaximumEventAgeInSeconds ?? current.maximum_event_age,
        destination_config:
          input.DestinationConfig !== undefined
            ? JSON.stringify(input.DestinationConfig)
            : current.destination_config,
        last_modified: this.ctx.clock.now(),
      },
      fn,
    );
  }

  async get(
    input: Lambda.GetFunctionEventInvokeConfigRequest,
    at: Region,
  ): Promise<Lambda.FunctionEventInvokeConfig> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    const qualifier = ref.qualifier ?? '$LATEST';
    const fn = await functionQueries.byName(this.ctx.store, at, ref.name);
    const row = fn && (await eventInvokeQueries.get(this.ctx.store, fn.id, qualifier));
    if (!fn || !row) throw missingConfig(functionArn(at, ref.name, qualifier));
    return render(at, fn, row);
  }

  async delete(input: Lambda.DeleteFunctionEventInvokeConfigRequest, at: Region): Promise<void> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    const qualifier = ref.qualifier ?? '$LATEST';
    const fn = await functionQueries.byName(this.ctx.store, at, ref.name);
    if (!fn || !(await eventInvokeQueries.delete(this.ctx.store, fn.id, qualifier))) {
      throw missingConfig(functionArn(at, ref.name, qualifier));
    }
  }

  async list(
    input: Lambda.ListFunctionEventInvokeConfigsRequest,
    at: Region,
  ): Promise<Lambda.ListFunctionEventInvokeConfigsResponse> {
    const ref = parseFunctionName(input.FunctionName!, at);
    const fn = await functionQueries.byName(this.ctx.store, at, ref.name);
    if (!fn) throw new ResourceNotFoundException("The function doesn't exist.");
    const { page, nextMarker } = pageOf(
      await eventInvokeQueries.all(this.ctx.store, fn.id),
      (row) => row.qualifier,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      FunctionEventInvokeConfigs: page.map((row) => render(at, fn, row)),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /** The function and qualifier a Put/Update names; Lambda requires at least one setting. */
  private async target(input: Input, at: Region): Promise<{ fn: FunctionRow; qualifier: string }> {
    if (
      input.MaximumRetryAttempts === undefined &&
      input.MaximumEventAgeInSeconds === undefined &&
      input.DestinationConfig === undefined
    ) {
      throw new InvalidParameterValueException(
        'You must specify at least one of error handling or destination setting.',
      );
    }
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    const fn = await functionQueries.byName(this.ctx.store, at, ref.name);
    const qualifier = ref.qualifier ?? '$LATEST';
    const exists =
      fn &&
      ((await versionQueries.get(this.ctx.store, fn.id, qualifier)) ??
        (await aliasQueries.get(this.ctx.store, fn.id, qualifier)));
    if (!fn || !exists) throw new ResourceNotFoundException("The function doesn't exist.");
    return { fn, qualifier };
  }

  private async checkDestinations(at: Region, fn: FunctionRow, config: Lambda.DestinationConfig | undefined) {
    const destinations = [config?.OnSuccess?.Destination, config?.OnFailure?.Destination];
    for (const destination of destinations) {
      if (!destination) continue;
      const arn = parseArn(destination);
      if (arn?.service === 'lambda') {
        const target = parseFunctionName(destination, at).name;
        if (target === fn.name) {
          throw new InvalidParameterValueException(
            "You can't specify the function as a destination for itself.",
          );
        }
        if (!(await functionQueries.byName(this.ctx.store, at, target))) {
          throw new InvalidParameterValueException(`The destination ARN ${destination} is invalid.`);
        }
      } else if (!arn || !destinationServices.has(arn.service)) {
        const part = (name: string, d: string | undefined) => (d ? `${name}(destination=${d})` : 'null');
        throw new InvalidParameterValueException(
          `The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', destinations[0])}, onFailure=${part('OnFailure', destinations[1])}) is invalid.`,
        );
      }
    }
  }

  private async save(
    at: Region,
    row: EventInvokeRow,
    fn: FunctionRow,
  ): Promise<Lambda.FunctionEventInvokeConfig> {
    await eventInvokeQueries.put(this.ctx.store, row);
    return render(at, fn, row);
  }
}

function render(at: Region, fn: FunctionRow, row: EventInvokeRow): Lambda.FunctionEventInvokeConfig {
  const destinations = JSON.parse(row.destination_config) as Lambda.DestinationConfig;
  return {
    LastModified: new Date(row.last_modified),
    FunctionArn: functionArn(at, fn.name, row.qualifier),
    ...(row.maximum_retry_attempts !== null ? { MaximumRetryAttempts: row.maximum_retry_attempts } : {}),
    ...(row.maximum_event_age !== null ? { MaximumEventAgeInSeconds: row.maximum_event_age } : {}),
    DestinationConfig: {
      OnSuccess: destinations.OnSuccess?.Destination
        ? { Destination: destinations.OnSuccess.Destination }
        : {},
      OnFailure: destinations.OnFailure?.Destination
        ? { Destination: destinations.OnFailure.Destination }
        : {},
    },
  };
}
