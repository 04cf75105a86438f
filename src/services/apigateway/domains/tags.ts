/**
 * TagResource, UntagResource and GetTags of both APIs, on the resources AWS lets them tag, named
 * by ARN (`arn:aws:apigateway:{region}::/restapis/{id}` — no account): v1 REST APIs, their
 * stages, API keys, usage plans and domain names; v2 HTTP and WebSocket APIs, their stages and
 * domain names. A resource's tags live in its own row, where its Create put them.
 */
import { parseArn } from '../../arn.js';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, NotFoundException } from '../errors.js';
import { apiQueries, stageQueries, type ApiRow } from '../tables.js';
import { apiKeyQueries, usagePlanQueries } from '../usage-tables.js';
import { domainKey } from './domain-shapes.js';
import { withTags } from './tag-limits.js';
import { domainNameQueries } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type Tags = Record<string, string>;
/** v1 names the tags `tags` and drops them when none are left; v2 keeps `Tags`, empty or not. */
type Version = 'v1' | 'v2';

/** A tagged row: its tags, and how to write them back. */
interface Tagged {
  tags: Tags;
  save(tags: Tags): Promise<void>;
}

const invalidResource = () => new NotFoundException('Invalid resource identifier specified');
const invalidArn = (arn: string) => new BadRequestException(`Invalid ARN specified in the request: ${arn}`);

/** The tags of a row's JSON document under `field`, and the document with others instead. */
function taggedDocument(
  document: string,
  field: 'tags' | 'Tags',
  keepEmpty: boolean,
  write: (document: string) => Promise<unknown>,
): Tagged {
  const parsed = JSON.parse(document) as Record<string, unknown>;
  return {
    tags: (parsed[field] as Tags | undefined) ?? {},
    save: async (tags) => {
      if (keepEmpty || Object.keys(tags).length > 0) parsed[field] = tags;
      else delete parsed[field];
      await write(JSON.stringify(parsed));
    },
  };
}

export class ResourceTags {
  constructor(private readonly store: Store) {}

  async get(version: Version, arn: string, at: Place): Promise<Tags> {
    return (await this.find(this.store, version, arn, at)).tags;
  }

  async tag(version: Version, arn: string, tags: Tags, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const resource = await this.find(tx, version, arn, at);
      await resource.save(withTags(resource.tags, tags));
    });
  }

  async untag(version: Version, arn: string, keys: readonly string[], at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const resource = await this.find(tx, version, arn, at);
      const tags = { ...resource.tags };
      for (const key of keys) delete tags[key];
      await resource.save(tags);
    });
  }

  /** The resource the ARN names, in the caller's account and region. */
  private async find(db: Queryable, version: Version, arn: string, at: Place): Promise<Tagged> {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'apigateway' || !parsed.resource.startsWith('/')) throw invalidArn(arn);
    if (parsed.accountId !== '') {
      const canonical = `arn:${parsed.partition}:apigateway:${parsed.region}::${parsed.resource}`;
      throw new BadRequestException(`Expected ARN ${canonical}, not ${arn}`);
    }
    if (parsed.region !== at.region) throw invalidResource();
    const [collection, id, child, name, ...more] = parsed.resource.slice(1).split('/');
    if (!collection || !id || more.length > 0 || (child !== undefined && (child !== 'stages' || !name))) {
      throw invalidArn(arn);
    }
    const found =
      version === 'v1'
        ? await this.v1Resource(db, at, collection, id, name)
        : await this.v2Resource(db, at, collection, id, name);
    if (found === 'unsupported') throw invalidArn(arn);
    if (!found) throw invalidResource();
    return found;
  }

  private async v1Resource(
    db: Queryable,
    at: Place,
    collection: string,
    id: string,
    stage: string | undefined,
  ): Promise<Tagged | undefined | 'unsupported'> {
    switch (collection) {
      case 'restapis': {
        const api = await apiQueries.find(db, at, 'REST', id);
        return api && (await this.apiOrStage(db, api, stage, 'tags', false));
      }
      case 'apikeys': {
        if (stage !== undefined) return 'unsupported';
        const key = await apiKeyQueries.find(db, at, id);
        return key && taggedDocument(key.document, 'tags', false, (d) => apiKeyQueries.update(db, key.id, d));
      }
      case 'usageplans': {
        if (stage !== undefined) return 'unsupported';
        const plan = await usagePlanQueries.find(db, at, id);
        return (
          plan && taggedDocument(plan.document, 'tags', false, (d) => usagePlanQueries.update(db, plan.id, d))
        );
      }
      case 'domainnames':
        return stage === undefined ? this.domain(db, at, id) : 'unsupported';
      default:
        return 'unsupported';
    }
  }

  private async v2Resource(
    db: Queryable,
    at: Place,
    collection: string,
    id: string,
    stage: string | undefined,
  ): Promise<Tagged | undefined | 'unsupported'> {
    if (collection === 'domainnames') return stage === undefined ? this.domain(db, at, id) : 'unsupported';
    if (collection !== 'apis') return 'unsupported';
    const api =
      (await apiQueries.find(db, at, 'HTTP', id)) ?? (await apiQueries.find(db, at, 'WEBSOCKET', id));
    return api && this.apiOrStage(db, api, stage, 'Tags', true);
  }

  private async apiOrStage(
    db: Queryable,
    api: ApiRow,
    stage: string | undefined,
    field: 'tags' | 'Tags',
    keepEmpty: boolean,
  ): Promise<Tagged | undefined> {
    if (stage === undefined) {
      return taggedDocument(api.document, field, keepEmpty, (d) => apiQueries.update(db, api.id, d));
    }
    const row = await stageQueries.find(db, api.id, stage);
    return (
      row &&
      taggedDocument(row.document, field, keepEmpty, (d) =>
        stageQueries.update(db, api.id, row.name, row.deployment_id, d),
      )
    );
  }

  private async domain(db: Queryable, at: Place, name: string): Promise<Tagged | undefined> {
    const row = await domainNameQueries.find(db, at, domainKey(name));
    return (
      row &&
      taggedDocument(row.document, 'tags', true, (d) =>
        domainNameQueries.update(db, row.domain_name, row.alias, d),
      )
    );
  }
}
