/**
 * AWS Lambda's control plane (API 2015-03-31). Each method names the operation and hands over to
 * the domain modules beside it; `Invoke` joins them through the invocation target resolver
 * (invocation-target.ts).
 *
 * Differences from AWS:
 * - Code is taken as `ZipFile` only (no `S3Bucket`/`S3Key`, no container images: `PackageType`
 *   must be `Zip`). Runtimes the execution engine cannot run on this host (Java, .NET, Ruby, Go,
 *   Node.js/Python versions it does not cover) are refused at create/update, naming what is missing.
 * - Code is extracted before CreateFunction/UpdateFunctionCode return, so the function is Active
 *   at once; responses still say `Pending`/`InProgress` as Lambda's do, and the next read shows
 *   `Active`/`Successful` with a new RevisionId, as Lambda's does.
 * - `Code.Location` is a Stratus URL (`/_stratus/lambda/code/<sha256>`), not an S3 one; with
 *   `--require-auth` it is presigned with the caller's key for 10 minutes.
 * - Provisioned concurrency reports `READY` (all requested environments allocated) once stored;
 *   the execution engine starts the environments.
 * - Resource policies are recorded and returned, not yet evaluated; functions of other accounts
 *   cannot be addressed by ARN. Layers of other accounts are usable without a layer policy.
 * - VpcConfig, KMS keys, tracing and SnapStart settings are stored and echoed but
 *   change nothing; code signing, capacity providers, durable executions and layer permissions
 *   answer NotImplemented.
 * - Function URLs are `http://{urlId}.lambda-url.{region}.localhost:{port}/` (and a path form,
 *   see function-url-route.ts); resource policies do not decide who may call them.
 * - Event source mappings read SQS queues (standard and FIFO) and DynamoDB streams; Kinesis and
 *   broker sources are refused with InvalidParameterValueException. `FilterCriteria` take at most
 *   5 filters (Lambda's default quota, not raisable), refused beyond with a message of Stratus's
 *   wording. A stream mapping's `LATEST` is fixed when it is created; a changed
 *   ParallelizationFactor restarts a shard's lanes from the slowest checkpoint; retries are paced
 *   100 ms doubling to 2 s; tumbling windows end on Stratus's clock and never early; OnFailure
 *   destinations are SQS and SNS only (see docs/functions.md).
 * - A deployment package is deleted from disk once no function version or layer version uses it.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { RequestContext } from '../service.js';
import type { Aliases } from './aliases.js';
import { parseFunctionName, parseUnqualifiedFunctionName, type Region } from './arns.js';
import type { Concurrency } from './concurrency.js';
import { requireFunction, type LambdaContext } from './context.js';
import type { EventInvokeConfigs } from './event-invoke-config.js';
import type { EventSourceMappings } from './event-source-mappings.js';
import type { Functions } from './functions.js';
import type { FunctionUrls } from './function-urls.js';
import type { Layers } from './layers.js';
import type { Policies } from './policy.js';
import type { FunctionRow } from './tables.js';
import { checkRequestSize, maxInvokeAsyncPayloadBytes, type Invoker } from './invoke.js';
import type { Tags } from './tags.js';
import type { Versions } from './versions.js';

export interface LambdaModules {
  ctx: LambdaContext;
  functions: Functions;
  versions: Versions;
  aliases: Aliases;
  layers: Layers;
  policies: Policies;
  concurrency: Concurrency;
  eventInvokeConfigs: EventInvokeConfigs;
  tags: Tags;
  invoker: Invoker;
  eventSourceMappings: EventSourceMappings;
  functionUrls: FunctionUrls;
}

export class LambdaProvider {
  constructor(private readonly m: LambdaModules) {}

  Invoke(input: Lambda.InvocationRequest, at: RequestContext): Promise<Lambda.InvocationResponse> {
    return this.m.invoker.invoke(input, at);
  }

  /** The deprecated InvokeAsync: an `Event` invocation answering `Status: 202`, still of at most 256 KB. */
  async InvokeAsync(
    input: Lambda.InvokeAsyncRequest,
    at: RequestContext,
  ): Promise<Lambda.InvokeAsyncResponse> {
    const payload = input.InvokeArgs as unknown as Uint8Array;
    checkRequestSize(payload, maxInvokeAsyncPayloadBytes, 'InvokeAsync');
    await this.m.invoker.invoke(
      { FunctionName: input.FunctionName, InvocationType: 'Event', Payload: payload },
      at,
    );
    return { Status: 202 };
  }

  // Functions

  CreateFunction(
    input: Lambda.CreateFunctionRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionConfiguration> {
    return this.m.functions.create(input, at);
  }

  GetFunction(input: Lambda.GetFunctionRequest, at: RequestContext): Promise<Lambda.GetFunctionResponse> {
    return this.m.functions.get(input, at);
  }

  GetFunctionConfiguration(
    input: Lambda.GetFunctionConfigurationRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionConfiguration> {
    return this.m.functions.getConfiguration(input, at);
  }

  ListFunctions(
    input: Lambda.ListFunctionsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListFunctionsResponse> {
    return this.m.functions.list(input, at);
  }

  UpdateFunctionCode(
    input: Lambda.UpdateFunctionCodeRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionConfiguration> {
    return this.m.functions.updateCode(input, at);
  }

  UpdateFunctionConfiguration(
    input: Lambda.UpdateFunctionConfigurationRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionConfiguration> {
    return this.m.functions.updateConfiguration(input, at);
  }

  async DeleteFunction(
    input: Lambda.DeleteFunctionRequest,
    at: RequestContext,
  ): Promise<Lambda.DeleteFunctionResponse> {
    await this.m.functions.delete(input, at);
    return { StatusCode: 204 };
  }

  // Versions and aliases

  async PublishVersion(
    input: Lambda.PublishVersionRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionConfiguration> {
    return this.m.versions.publish(at, await this.function(input.FunctionName!, at), {
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.CodeSha256 !== undefined ? { codeSha256: input.CodeSha256 } : {}),
      ...(input.RevisionId !== undefined ? { revisionId: input.RevisionId } : {}),
    });
  }

  async ListVersionsByFunction(
    input: Lambda.ListVersionsByFunctionRequest,
    at: RequestContext,
  ): Promise<Lambda.ListVersionsByFunctionResponse> {
    return this.m.versions.list(at, await this.function(input.FunctionName!, at), input);
  }

  async CreateAlias(
    input: Lambda.CreateAliasRequest,
    at: RequestContext,
  ): Promise<Lambda.AliasConfiguration> {
    return this.m.aliases.create(at, await this.function(input.FunctionName!, at), input);
  }

  async GetAlias(input: Lambda.GetAliasRequest, at: RequestContext): Promise<Lambda.AliasConfiguration> {
    return this.m.aliases.get(at, await this.function(input.FunctionName!, at), input.Name!);
  }

  async UpdateAlias(
    input: Lambda.UpdateAliasRequest,
    at: RequestContext,
  ): Promise<Lambda.AliasConfiguration> {
    return this.m.aliases.update(at, await this.function(input.FunctionName!, at), input);
  }

  async DeleteAlias(input: Lambda.DeleteAliasRequest, at: RequestContext): Promise<void> {
    await this.m.aliases.delete(at, await this.function(input.FunctionName!, at), input.Name!);
  }

  async ListAliases(
    input: Lambda.ListAliasesRequest,
    at: RequestContext,
  ): Promise<Lambda.ListAliasesResponse> {
    return this.m.aliases.list(at, await this.function(input.FunctionName!, at), input);
  }

  // Concurrency

  async PutFunctionConcurrency(
    input: Lambda.PutFunctionConcurrencyRequest,
    at: RequestContext,
  ): Promise<Lambda.Concurrency> {
    const fn = await this.function(input.FunctionName!, at, true);
    return this.m.concurrency.putReserved(at, fn, input.ReservedConcurrentExecutions!);
  }

  async GetFunctionConcurrency(
    input: Lambda.GetFunctionConcurrencyRequest,
    at: RequestContext,
  ): Promise<Lambda.GetFunctionConcurrencyResponse> {
    return this.m.concurrency.getReserved(await this.function(input.FunctionName!, at, true));
  }

  async DeleteFunctionConcurrency(
    input: Lambda.DeleteFunctionConcurrencyRequest,
    at: RequestContext,
  ): Promise<void> {
    await this.m.concurrency.deleteReserved(await this.function(input.FunctionName!, at, true));
  }

  async PutProvisionedConcurrencyConfig(
    input: Lambda.PutProvisionedConcurrencyConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.PutProvisionedConcurrencyConfigResponse> {
    const { fn, qualifier } = await this.qualified(input.FunctionName!, input.Qualifier!, at);
    return this.m.concurrency.putProvisioned(at, fn, qualifier, input.ProvisionedConcurrentExecutions!);
  }

  async GetProvisionedConcurrencyConfig(
    input: Lambda.GetProvisionedConcurrencyConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.GetProvisionedConcurrencyConfigResponse> {
    const { fn, qualifier } = await this.qualified(input.FunctionName!, input.Qualifier!, at);
    return this.m.concurrency.getProvisioned(at, fn, qualifier);
  }

  async DeleteProvisionedConcurrencyConfig(
    input: Lambda.DeleteProvisionedConcurrencyConfigRequest,
    at: RequestContext,
  ): Promise<void> {
    const { fn, qualifier } = await this.qualified(input.FunctionName!, input.Qualifier!, at);
    await this.m.concurrency.deleteProvisioned(at, fn, qualifier);
  }

  async ListProvisionedConcurrencyConfigs(
    input: Lambda.ListProvisionedConcurrencyConfigsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListProvisionedConcurrencyConfigsResponse> {
    return this.m.concurrency.listProvisioned(at, await this.function(input.FunctionName!, at), input);
  }

  GetAccountSettings(
    _input: Lambda.GetAccountSettingsRequest,
    at: RequestContext,
  ): Promise<Lambda.GetAccountSettingsResponse> {
    return this.m.concurrency.accountSettings(at);
  }

  // Layers

  PublishLayerVersion(
    input: Lambda.PublishLayerVersionRequest,
    at: RequestContext,
  ): Promise<Lambda.PublishLayerVersionResponse> {
    return this.m.layers.publish(input, at);
  }

  GetLayerVersion(
    input: Lambda.GetLayerVersionRequest,
    at: RequestContext,
  ): Promise<Lambda.GetLayerVersionResponse> {
    return this.m.layers.get(input.LayerName!, input.VersionNumber!, at);
  }

  GetLayerVersionByArn(
    input: Lambda.GetLayerVersionByArnRequest,
    at: RequestContext,
  ): Promise<Lambda.GetLayerVersionResponse> {
    return this.m.layers.getByArn(input.Arn!, at);
  }

  ListLayers(input: Lambda.ListLayersRequest, at: RequestContext): Promise<Lambda.ListLayersResponse> {
    return this.m.layers.list(input, at);
  }

  ListLayerVersions(
    input: Lambda.ListLayerVersionsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListLayerVersionsResponse> {
    return this.m.layers.listVersions(input, at);
  }

  DeleteLayerVersion(input: Lambda.DeleteLayerVersionRequest, at: RequestContext): Promise<void> {
    return this.m.layers.delete(input.LayerName!, input.VersionNumber!, at);
  }

  // Resource policies and tags

  AddPermission(
    input: Lambda.AddPermissionRequest,
    at: RequestContext,
  ): Promise<Lambda.AddPermissionResponse> {
    return this.m.policies.add(input, at);
  }

  RemovePermission(input: Lambda.RemovePermissionRequest, at: RequestContext): Promise<void> {
    return this.m.policies.remove(input, at);
  }

  GetPolicy(input: Lambda.GetPolicyRequest, at: RequestContext): Promise<Lambda.GetPolicyResponse> {
    return this.m.policies.get(input, at);
  }

  TagResource(input: Lambda.TagResourceRequest, at: RequestContext): Promise<void> {
    return this.m.tags.tag(input.Resource!, input.Tags!, at);
  }

  UntagResource(input: Lambda.UntagResourceRequest, at: RequestContext): Promise<void> {
    return this.m.tags.untag(input.Resource!, input.TagKeys!, at);
  }

  async ListTags(input: Lambda.ListTagsRequest, at: RequestContext): Promise<Lambda.ListTagsResponse> {
    return { Tags: await this.m.tags.list(input.Resource!, at) };
  }

  // Asynchronous invocation settings

  PutFunctionEventInvokeConfig(
    input: Lambda.PutFunctionEventInvokeConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionEventInvokeConfig> {
    return this.m.eventInvokeConfigs.put(input, at);
  }

  UpdateFunctionEventInvokeConfig(
    input: Lambda.UpdateFunctionEventInvokeConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionEventInvokeConfig> {
    return this.m.eventInvokeConfigs.update(input, at);
  }

  GetFunctionEventInvokeConfig(
    input: Lambda.GetFunctionEventInvokeConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.FunctionEventInvokeConfig> {
    return this.m.eventInvokeConfigs.get(input, at);
  }

  DeleteFunctionEventInvokeConfig(
    input: Lambda.DeleteFunctionEventInvokeConfigRequest,
    at: RequestContext,
  ): Promise<void> {
    return this.m.eventInvokeConfigs.delete(input, at);
  }

  ListFunctionEventInvokeConfigs(
    input: Lambda.ListFunctionEventInvokeConfigsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListFunctionEventInvokeConfigsResponse> {
    return this.m.eventInvokeConfigs.list(input, at);
  }

  // Function URLs

  CreateFunctionUrlConfig(
    input: Lambda.CreateFunctionUrlConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.CreateFunctionUrlConfigResponse> {
    return this.m.functionUrls.create(input, at);
  }

  GetFunctionUrlConfig(
    input: Lambda.GetFunctionUrlConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.GetFunctionUrlConfigResponse> {
    return this.m.functionUrls.get(input, at);
  }

  UpdateFunctionUrlConfig(
    input: Lambda.UpdateFunctionUrlConfigRequest,
    at: RequestContext,
  ): Promise<Lambda.UpdateFunctionUrlConfigResponse> {
    return this.m.functionUrls.update(input, at);
  }

  DeleteFunctionUrlConfig(input: Lambda.DeleteFunctionUrlConfigRequest, at: RequestContext): Promise<void> {
    return this.m.functionUrls.delete(input, at);
  }

  ListFunctionUrlConfigs(
    input: Lambda.ListFunctionUrlConfigsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListFunctionUrlConfigsResponse> {
    return this.m.functionUrls.list(input, at);
  }

  // Event source mappings

  CreateEventSourceMapping(
    input: Lambda.CreateEventSourceMappingRequest,
    at: RequestContext,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    return this.m.eventSourceMappings.create(input, at);
  }

  GetEventSourceMapping(
    input: Lambda.GetEventSourceMappingRequest,
    at: RequestContext,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    return this.m.eventSourceMappings.get(input.UUID!, at);
  }

  UpdateEventSourceMapping(
    input: Lambda.UpdateEventSourceMappingRequest,
    at: RequestContext,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    return this.m.eventSourceMappings.update(input, at);
  }

  DeleteEventSourceMapping(
    input: Lambda.DeleteEventSourceMappingRequest,
    at: RequestContext,
  ): Promise<Lambda.EventSourceMappingConfiguration> {
    return this.m.eventSourceMappings.delete(input.UUID!, at);
  }

  ListEventSourceMappings(
    input: Lambda.ListEventSourceMappingsRequest,
    at: RequestContext,
  ): Promise<Lambda.ListEventSourceMappingsResponse> {
    return this.m.eventSourceMappings.list(input, at);
  }

  /** The function a `FunctionName` names; `unqualified` refuses a qualifier in it. */
  private function(functionName: string, at: Region, unqualified = false): Promise<FunctionRow> {
    const ref = unqualified
      ? parseUnqualifiedFunctionName(functionName, at)
      : parseFunctionName(functionName, at);
    return requireFunction(this.m.ctx.store, at, ref.name);
  }

  private async qualified(functionName: string, qualifier: string, at: Region) {
    const ref = parseFunctionName(functionName, at, qualifier);
    return { fn: await requireFunction(this.m.ctx.store, at, ref.name), qualifier: ref.qualifier! };
  }
}
