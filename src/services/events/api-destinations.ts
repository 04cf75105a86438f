/**
 * API destinations: an HTTP endpoint, method and rate limit, called through a connection (its
 * authorization). CreateApiDestination, Describe, List, Update and Delete; invocation is
 * api-invoke.ts. Stratus takes `http://` endpoints too, as local services are rarely HTTPS.
 */
import { randomUUID } from 'node:crypto';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { apiDestinationArn, type Region } from './arns.js';
import { apiDestinationQueries, connectionQueries, type ApiDestinationRow } from './connection-tables.js';
import { ResourceAlreadyExistsException, ResourceNotFoundException, invalidParameter } from './errors.js';
import { afterToken, defaultPageSize, page } from './paging.js';

/** EventBridge's default invocation rate of an API destination. */
const defaultRateLimit = 300;

const notFound = (name: string) =>
  new ResourceNotFoundException(
    `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
  );

export class ApiDestinations {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async get(at: Region, name: string): Promise<ApiDestinationRow> {
    const row = await apiDestinationQueries.get(this.store, at, name);
    if (!row) throw notFound(name);
    return row;
  }

  async create(at: Region, input: EventBridge.CreateApiDestinationRequest) {
    await this.checkConnection(input.ConnectionArn!);
    checkEndpoint(input.InvocationEndpoint!);
    const now = this.clock.now();
    const row: ApiDestinationRow = {
      arn: apiDestinationArn(at, input.Name!, randomUUID()),
      account_id: at.accountId,
      region: at.region,
      name: input.Name!,
      description: input.Description ?? null,
      connection_arn: input.ConnectionArn!,
      invocation_endpoint: input.InvocationEndpoint!,
      http_method: input.HttpMethod!,
      rate_limit: input.InvocationRateLimitPerSecond ?? defaultRateLimit,
      state: 'ACTIVE',
      created_at: now,
      modified_at: now,
    };
    await this.store.transaction(async (tx) => {
      if (await apiDestinationQueries.get(tx, at, row.name)) {
        throw new ResourceAlreadyExistsException(`An api-destination '${row.name}' already exists.`);
      }
      await apiDestinationQueries.insert(tx, row);
    });
    return summary(row);
  }

  async describe(at: Region, name: string): Promise<EventBridge.DescribeApiDestinationResponse> {
    const row = await this.get(at, name);
    return { ...listed(row), ...(row.description !== null ? { Description: row.description } : {}) };
  }

  async list(
    at: Region,
    input: EventBridge.ListApiDestinationsRequest,
  ): Promise<EventBridge.ListApiDestinationsResponse> {
    const limit = input.Limit ?? defaultPageSize;
    const rows = await apiDestinationQueries.list(
      this.store,
      at,
      input.NamePrefix ?? '',
      input.ConnectionArn,
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (row) => row.name);
    return { ApiDestinations: items.map(listed), ...(NextToken ? { NextToken } : {}) };
  }

  async update(at: Region, input: EventBridge.UpdateApiDestinationRequest) {
    const current = await this.get(at, input.Name!);
    if (input.ConnectionArn !== undefined) await this.checkConnection(input.ConnectionArn);
    if (input.InvocationEndpoint !== undefined) checkEndpoint(input.InvocationEndpoint);
    const row: ApiDestinationRow = {
      ...current,
      description: input.Description ?? current.description,
      connection_arn: input.ConnectionArn ?? current.connection_arn,
      invocation_endpoint: input.InvocationEndpoint ?? current.invocation_endpoint,
      http_method: input.HttpMethod ?? current.http_method,
      rate_limit: input.InvocationRateLimitPerSecond ?? current.rate_limit,
      modified_at: this.clock.now(),
    };
    await apiDestinationQueries.update(this.store, row);
    return summary(row);
  }

  async delete(at: Region, name: string): Promise<void> {
    const row = await this.get(at, name);
    await apiDestinationQueries.delete(this.store, row.arn);
  }

  private async checkConnection(arn: string): Promise<void> {
    if (!(await connectionQueries.byArn(this.store, arn))) {
      const name = parseArn(arn)?.resource.split('/')[1] ?? arn;
      throw new ResourceNotFoundException(`Connection '${name}' does not exist.`);
    }
  }
}

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw invalidParameter('InvocationEndpoint', 'Must be an HTTPS or HTTP URL.');
  }
}

function listed(row: ApiDestinationRow): EventBridge.ApiDestination {
  return {
    ApiDestinationArn: row.arn,
    Name: row.name,
    ApiDestinationState: row.state as EventBridge.ApiDestinationState,
    ConnectionArn: row.connection_arn,
    InvocationEndpoint: row.invocation_endpoint,
    HttpMethod: row.http_method as EventBridge.ApiDestinationHttpMethod,
    ...(row.rate_limit !== null ? { InvocationRateLimitPerSecond: row.rate_limit } : {}),
    CreationTime: new Date(row.created_at),
    LastModifiedTime: new Date(row.modified_at),
  };
}

function summary(row: ApiDestinationRow) {
  return {
    ApiDestinationArn: row.arn,
    ApiDestinationState: row.state as EventBridge.ApiDestinationState,
    CreationTime: new Date(row.created_at),
    LastModifiedTime: new Date(row.modified_at),
  };
}
