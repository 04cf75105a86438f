/**
 * Tags on functions (TagResource, UntagResource, ListTags by function ARN). Tags belong to the
 * function, not to a version or alias; changing them gives `$LATEST` a new RevisionId, as in Lambda.
 */
import type { Queryable } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { parseFunctionName, type Region } from './arns.js';
import { requireFunction, type LambdaContext } from './context.js';
import { InvalidParameterValueException, ResourceNotFoundException } from './errors.js';
import { functionQueries, versionQueries, type FunctionRow } from './tables.js';

const maxTagsPerFunction = 50;

export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > maxTagsPerFunction) {
    throw new InvalidParameterValueException('Number of tags exceeds resource tag limit.');
  }
}

/** The function a taggable resource ARN names (Stratus has no other taggable Lambda resources yet). */
function functionNameOf(resource: string, at: Region): string {
  const [kind] = parseArn(resource)?.resource.split(':') ?? [];
  if (kind !== 'function') throw new ResourceNotFoundException(`Resource not found: ${resource}`);
  const ref = parseFunctionName(resource, at);
  if (ref.qualifier !== undefined) {
    throw new InvalidParameterValueException(
      'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
  }
  return ref.name;
}

export class Tags {
  constructor(private readonly ctx: LambdaContext) {}

  async tag(resource: string, tags: Record<string, string>, at: Region): Promise<void> {
    if (Object.keys(tags).length === 0) {
      throw new InvalidParameterValueException('An error occurred and the request cannot be processed.');
    }
    await this.change(resource, at, (current) => ({ ...current, ...tags }));
  }

  async untag(resource: string, keys: readonly string[], at: Region): Promise<void> {
    await this.change(resource, at, (current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))),
    );
  }

  async list(resource: string, at: Region): Promise<Record<string, string>> {
    const fn = await requireFunction(this.ctx.store, at, functionNameOf(resource, at));
    return JSON.parse(fn.tags) as Record<string, string>;
  }

  private async change(
    resource: string,
    at: Region,
    update: (current: Record<string, string>) => Record<string, string>,
  ): Promise<void> {
    const name = functionNameOf(resource, at);
    await this.ctx.store.transaction(async (tx) => {
      const fn = await requireFunction(tx, at, name);
      const tags = update(JSON.parse(fn.tags) as Record<string, string>);
      checkTagCount(tags);
      await functionQueries.setTags(tx, fn.id, tags);
      await this.bumpLatestRevision(tx, fn);
    });
  }

  private async bumpLatestRevision(tx: Queryable, fn: FunctionRow): Promise<void> {
    const latest = await versionQueries.get(tx, fn.id, '$LATEST');
    if (latest) await versionQueries.setRevision(tx, latest.id, this.ctx.newId());
  }
}
