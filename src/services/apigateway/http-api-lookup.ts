/** Finding an HTTP or WebSocket API by id in the caller's account and region. */
import type { Queryable } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { invalidApi } from './errors.js';
import type { StoredHttpApi } from './http-apis.js';
import { apiQueries } from './tables.js';

export async function requireHttpApi(
  db: Queryable,
  at: Pick<RequestContext, 'accountId' | 'region'>,
  id: string,
): Promise<StoredHttpApi> {
  const row = (await apiQueries.find(db, at, 'HTTP', id)) ?? (await apiQueries.find(db, at, 'WEBSOCKET', id));
  if (!row) throw invalidApi(at.accountId, id);
  return JSON.parse(row.document) as StoredHttpApi;
}
