/**
 * `GET /_stratus/ses/messages` lists the outbox as JSON (`{ messages: [...] }`, oldest first),
 * filtered by `?id=`, `?to=`, `?from=`, `?account=`, `?region=`; `?after=<id>` lists only what
 * came after that message (what `stratus mail --follow` polls with), `?last=N` only the latest N.
 * `DELETE` empties it.
 */
import { jsonResponse } from '../../protocol/wire.js';
import type { InternalRoute } from '../service.js';
import { outboxMessage, type Outbox } from './outbox.js';
import type { OutboxFilter } from './tables.js';

const path = /^\/_stratus\/ses\/messages\/?$/;

export function outboxRoutes(outbox: Outbox): InternalRoute[] {
  return [
    {
      method: 'GET',
      path,
      async handle(_match, request) {
        const param = (name: string) => request.query[name]?.[0] || undefined;
        const filter: OutboxFilter = {};
        for (const [name, key] of [
          ['id', 'id'],
          ['to', 'to'],
          ['from', 'from'],
          ['account', 'accountId'],
          ['region', 'region'],
        ] as const) {
          const value = param(name);
          if (value !== undefined) filter[key] = value;
        }
        const last = param('last');
        if (last !== undefined) {
          if (!/^[1-9]\d{0,5}$/.test(last)) {
            return jsonResponse(400, { message: 'last must be a whole number from 1 to 999999' });
          }
          filter.last = Number(last);
        }
        const after = param('after');
        if (after !== undefined) {
          const anchor = await outbox.get(after);
          if (!anchor) return jsonResponse(404, { message: `No message ${after} in the outbox.` });
          filter.afterSeq = anchor.seq;
        }
        const rows = await outbox.list(filter);
        return jsonResponse(200, { messages: rows.map(outboxMessage) });
      },
    },
    {
      method: 'DELETE',
      path,
      async handle() {
        return jsonResponse(200, { deleted: await outbox.clear() });
      },
    },
  ];
}
