/**
 * A SELECT's NextToken: where the next page starts — which of the statement's partitions, and
 * the key of the last item read there — bound to the statement and parameters that issued it,
 * as DynamoDB binds its tokens: a token replayed with another statement is refused. It is opaque
 * to clients (base64 of JSON, binaries in their wire form).
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../attribute-value.js';
import { itemFromWire, wireItem } from '../item-codec.js';
import { invalid } from './errors.js';

export interface Continuation {
  /** The position of the partition to go on reading in, among those the statement names. */
  partition: number;
  /** The last key read in it; none to start it from the beginning. */
  key?: Item;
}

interface TokenBody {
  f: string;
  p: number;
  k?: Record<string, unknown>;
}

/** What a token is bound to: the statement's text and its parameters. */
export function statementFingerprint(statement: string, parameters: readonly AttributeValue[]): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        statement,
        wireItem(Object.fromEntries(parameters.map((value, i) => [String(i), value]))),
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

export function encodeNextToken(fingerprint: string, continuation: Continuation): string {
  const body: TokenBody = {
    f: fingerprint,
    p: continuation.partition,
    ...(continuation.key ? { k: wireItem(continuation.key) } : {}),
  };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

export function decodeNextToken(token: string, fingerprint: string): Continuation {
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as TokenBody;
  } catch {
    throw invalid('Invalid NextToken');
  }
  const wellFormed =
    typeof body === 'object' &&
    body !== null &&
    typeof body.f === 'string' &&
    Number.isSafeInteger(body.p) &&
    body.p >= 0 &&
    (body.k === undefined || (typeof body.k === 'object' && body.k !== null));
  if (!wellFormed) throw invalid('Invalid NextToken');
  if (body.f !== fingerprint) throw invalid('NextToken does not match request');
  return { partition: body.p, ...(body.k ? { key: itemFromWire(body.k) } : {}) };
}
