/**
 * Calls to deployed APIs through a custom domain: a request whose Host (port aside) is a domain
 * name — or its `d-….execute-api.localhost` alias — goes to the API and stage its longest
 * matching mapping names, with the path after the mapping's key.
 *
 * A custom domain never shadows the AWS APIs: a request signed (SigV4) for any service but
 * `execute-api` is an AWS API call whatever its Host, and is left to the AWS pipeline. One signed
 * for `execute-api` is a call to an API (an `AWS_IAM` route), and so is an unsigned one.
 */
import { readSigV4Claim } from '../../../protocol/sigv4.js';
import type { WireRequest } from '../../../protocol/wire.js';
import type { Store } from '../../../storage/store.js';
import type { InvokeAddress } from '../invoke/invoke-address.js';
import type { DomainDirectory } from './directory.js';
import { selectMapping } from './mapping-keys.js';
import { apiMappingQueries } from './tables.js';

export class CustomDomainRoute {
  constructor(
    private readonly store: Store,
    private readonly directory: DomainDirectory,
  ) {}

  /** Whether the request is for an API behind a custom domain: from its headers alone, no I/O. */
  accepts(request: WireRequest): boolean {
    if (this.directory.domainOf(request.headers['host']) === undefined) return false;
    const claim = readSigV4Claim(request);
    return !(typeof claim === 'object' && claim.service !== 'execute-api');
  }

  /**
   * The API, stage and path the request's domain and path select (the stage is left to the path
   * when a v1 mapping names none); undefined when no mapping matches — AWS's 403 Forbidden.
   */
  async address(host: string | undefined, path: string): Promise<InvokeAddress | undefined> {
    const domain = this.directory.domainOf(host);
    if (domain === undefined) return undefined;
    const requestPath = path || '/';
    const selected = selectMapping(await apiMappingQueries.all(this.store, domain), requestPath);
    if (!selected) return undefined;
    return {
      apiId: selected.mapping.api_id,
      path: selected.rest,
      ...(selected.mapping.stage !== null ? { stage: selected.mapping.stage } : {}),
      requestPath,
    };
  }
}
