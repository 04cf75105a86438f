/** Identifiers, injected so tests can make them predictable. */
import { randomUUID } from 'node:crypto';

export interface IdGenerator {
  /** A request id, as AWS prints them (a v4 UUID). */
  requestId(): string;
}

export const randomIds: IdGenerator = { requestId: () => randomUUID() };
