/**
 * VPC links (v1: CreateVpcLink … on `/vpclinks`, to network load balancers; v2: on
 * `/v2/vpclinks`, to subnets and security groups). Stratus has no VPC to reach into: a link is
 * kept as given and `AVAILABLE` at once, and an integration through it (`connectionType` /
 * `ConnectionType` `VPC_LINK`) is served as plain HTTP to its URI.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, NotFoundException } from '../errors.js';
import { childId } from '../ids.js';
import { page } from '../paging.js';
import { applyPatch, type PatchRules } from '../patch.js';
import { vpcLinkQueries, type VpcLinkRow, type VpcLinkVersion } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

type StoredV1Link = APIGW.VpcLink & { id: string };
type StoredV2Link = Omit<V2.VpcLink, 'CreatedDate'> & { VpcLinkId: string; CreatedDate: number };

const V2_MAX_RESULTS = 100;
const LOAD_BALANCER_ARN = /^arn:aws[\w-]*:elasticloadbalancing:[^:]+:\d{12}:loadbalancer\/net\/.+/;

const v1PatchRules: PatchRules = {
  '/name': { target: 'string', ops: ['replace'] },
  '/description': { target: 'string', ops: ['replace'] },
};

export const invalidV1VpcLink = () => new NotFoundException('Invalid VPC Link identifier specified');
const invalidV2VpcLink = (id: string) => new NotFoundException(`Invalid VpcLink identifier specified ${id}`);

/** v1 links name one network load balancer or more by ARN. */
export function checkTargetArns(arns: readonly string[] | undefined): void {
  if (!arns || arns.length === 0) throw new BadRequestException('Target ARNs must not be empty');
  const wrong = arns.find((arn) => !LOAD_BALANCER_ARN.test(arn));
  if (wrong !== undefined) throw new BadRequestException(`Invalid network load balancer ARN: ${wrong}`);
}

function v2Output(stored: StoredV2Link): V2.VpcLink {
  return { ...stored, CreatedDate: new Date(stored.CreatedDate) };
}

export class VpcLinks {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  // v1

  async createV1(input: APIGW.CreateVpcLinkRequest, at: Place): Promise<APIGW.VpcLink> {
    checkTargetArns(input.targetArns);
    const stored: StoredV1Link = {
      id: childId(),
      name: input.name!,
      ...(input.description !== undefined ? { description: input.description } : {}),
      targetArns: input.targetArns!,
      status: 'AVAILABLE',
      statusMessage: 'Your vpc link is ready for use',
      ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
    };
    await this.insert(at, 'v1', stored.id, stored);
    return stored;
  }

  async getV1(at: Place, id: string): Promise<APIGW.VpcLink> {
    return JSON.parse((await this.requireV1(at, id)).document) as StoredV1Link;
  }

  async listV1(input: APIGW.GetVpcLinksRequest, at: Place): Promise<APIGW.VpcLinks> {
    const { items, position } = await page(input, async (after, limit) =>
      (await vpcLinkQueries.list(this.store, at, 'v1', after, limit)).map(
        (row) => JSON.parse(row.document) as StoredV1Link,
      ),
    );
    return { items, ...(position ? { position } : {}) };
  }

  async updateV1(input: APIGW.UpdateVpcLinkRequest, at: Place): Promise<APIGW.VpcLink> {
    const row = await this.requireV1(at, input.vpcLinkId!);
    const stored = applyPatch(
      JSON.parse(row.document) as StoredV1Link,
      input.patchOperations ?? [],
      v1PatchRules,
    );
    await vpcLinkQueries.update(this.store, row.id, JSON.stringify(stored));
    return stored;
  }

  async deleteV1(at: Place, id: string): Promise<void> {
    await vpcLinkQueries.delete(this.store, (await this.requireV1(at, id)).id);
  }

  // v2

  async createV2(input: V2.CreateVpcLinkRequest, at: Place): Promise<V2.CreateVpcLinkResponse> {
    if ((input.SubnetIds ?? []).length === 0) throw new BadRequestException('SubnetIds must not be empty');
    const stored: StoredV2Link = {
      VpcLinkId: childId(),
      Name: input.Name!,
      SubnetIds: input.SubnetIds!,
      SecurityGroupIds: input.SecurityGroupIds ?? [],
      CreatedDate: this.clock.now(),
      VpcLinkStatus: 'AVAILABLE',
      VpcLinkStatusMessage: 'VPC link is ready to route traffic',
      VpcLinkVersion: 'V2',
      Tags: input.Tags ?? {},
    };
    await this.insert(at, 'v2', stored.VpcLinkId, stored);
    return v2Output(stored);
  }

  async getV2(at: Place, id: string): Promise<V2.GetVpcLinkResponse> {
    return v2Output(JSON.parse((await this.requireV2(at, id)).document) as StoredV2Link);
  }

  async listV2(input: V2.GetVpcLinksRequest, at: Place): Promise<V2.GetVpcLinksResponse> {
    const limit = Math.min(Number(input.MaxResults ?? V2_MAX_RESULTS) || V2_MAX_RESULTS, V2_MAX_RESULTS);
    const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
    const rows = await vpcLinkQueries.list(this.store, at, 'v2', after, limit + 1);
    const items = rows.slice(0, limit);
    return {
      Items: items.map((row) => v2Output(JSON.parse(row.document) as StoredV2Link)),
      ...(rows.length > limit
        ? { NextToken: Buffer.from(items[items.length - 1]!.id).toString('base64url') }
        : {}),
    };
  }

  async updateV2(input: V2.UpdateVpcLinkRequest, at: Place): Promise<V2.UpdateVpcLinkResponse> {
    const row = await this.requireV2(at, input.VpcLinkId!);
    const stored = JSON.parse(row.document) as StoredV2Link;
    if (input.Name !== undefined) stored.Name = input.Name;
    await vpcLinkQueries.update(this.store, row.id, JSON.stringify(stored));
    return v2Output(stored);
  }

  async deleteV2(at: Place, id: string): Promise<void> {
    await vpcLinkQueries.delete(this.store, (await this.requireV2(at, id)).id);
  }

  private async insert(at: Place, version: VpcLinkVersion, id: string, document: object): Promise<void> {
    await vpcLinkQueries.insert(this.store, {
      id,
      account_id: at.accountId,
      region: at.region,
      version,
      document: JSON.stringify(document),
    });
  }

  private async requireV1(at: Place, id: string): Promise<VpcLinkRow> {
    const row = await vpcLinkQueries.find(this.store, at, 'v1', id);
    if (!row) throw invalidV1VpcLink();
    return row;
  }

  private async requireV2(at: Place, id: string): Promise<VpcLinkRow> {
    const row = await vpcLinkQueries.find(this.store, at, 'v2', id);
    if (!row) throw invalidV2VpcLink(id);
    return row;
  }
}
