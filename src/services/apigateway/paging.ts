/**
 * API Gateway's paging: `limit` (25 by default, at most 500) items after `position`, an opaque
 * token — here the last id of the previous page, which the listing queries order by.
 */
import { BadRequestException } from './errors.js';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

export async function page<T extends { id: string }>(
  input: { position?: string; limit?: number },
  read: (after: string, limit: number) => Promise<T[]>,
): Promise<{ items: T[]; position?: string }> {
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT)
    throw new BadRequestException(`Invalid limit: must be between 1 and ${MAX_LIMIT}`);
  const after = input.position ? Buffer.from(input.position, 'base64url').toString('utf8') : '';
  const rows = await read(after, limit + 1);
  const items = rows.slice(0, limit);
  return {
    items,
    ...(rows.length > limit
      ? { position: Buffer.from(items[items.length - 1]!.id).toString('base64url') }
      : {}),
  };
}
