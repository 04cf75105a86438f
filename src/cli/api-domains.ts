/**
 * The custom domain names part of `stratus apis`: each domain with its mappings and the URL each
 * answers at — by the domain's own name (which needs a hosts-file entry, or curl's `--resolve`)
 * and by its `d-….execute-api.localhost` alias, which browsers and curl resolve to loopback.
 */
import type { Connection } from './functions.js';
import { formatTable } from './functions.js';

/** A v1 mapping without a stage: the request path's next segment names it. */
const FROM_PATH = '(from the path)';

export interface ListedMapping {
  /** `''` for the root (`(none)`). */
  key: string;
  apiId: string;
  stage: string;
}

export interface ListedDomain {
  name: string;
  /** The `*.localhost` name standing in for the regional or CloudFront domain name. */
  alias: string;
  mappings: ListedMapping[];
}

export function formatDomains(domains: readonly ListedDomain[], endpoint: URL): string {
  const port = endpoint.port ? `:${endpoint.port}` : '';
  const rows = domains.flatMap((domain) => {
    if (domain.mappings.length === 0) return [[domain.name, '(no mappings)', '-', '-', '-', '-']];
    return domain.mappings.map((mapping) => {
      const path = mapping.key ? `/${mapping.key}/` : '/';
      return [
        domain.name,
        mapping.key || '(none)',
        mapping.apiId,
        mapping.stage,
        `http://${domain.name}${port}${path}`,
        `http://${domain.alias}${port}${path}`,
      ];
    });
  });
  return formatTable(['Domain name', 'Mapping', 'API id', 'Stage', 'URL', 'Alias URL'], rows);
}

export async function listDomains(connection: Connection): Promise<ListedDomain[]> {
  const v1 = await import('@aws-sdk/client-api-gateway');
  const v2 = await import('@aws-sdk/client-apigatewayv2');
  const rest = new v1.APIGatewayClient(connection.clientConfig);
  const http = new v2.ApiGatewayV2Client(connection.clientConfig);
  try {
    const listed: ListedDomain[] = [];
    for await (const page of v1.paginateGetDomainNames({ client: rest }, {})) {
      for (const domain of page.items ?? []) {
        const name = domain.domainName!;
        // v2 sees every mapping of a REGIONAL domain (HTTP APIs', several levels); an EDGE
        // domain, v1's alone, has only REST APIs' base path mappings.
        const regional = domain.endpointConfiguration?.types?.[0] === 'REGIONAL';
        const mappings: ListedMapping[] = [];
        if (regional) {
          let token: string | undefined;
          do {
            const found = await http.send(
              new v2.GetApiMappingsCommand({ DomainName: name, NextToken: token }),
            );
            for (const m of found.Items ?? []) {
              const stage = !m.Stage || m.Stage === '(none)' ? FROM_PATH : m.Stage;
              mappings.push({ key: m.ApiMappingKey ?? '', apiId: m.ApiId!, stage });
            }
            token = found.NextToken;
          } while (token);
        } else {
          for await (const found of v1.paginateGetBasePathMappings({ client: rest }, { domainName: name })) {
            for (const m of found.items ?? []) {
              const key = m.basePath === '(none)' ? '' : (m.basePath ?? '');
              mappings.push({ key, apiId: m.restApiId!, stage: m.stage ?? FROM_PATH });
            }
          }
        }
        listed.push({
          name,
          alias: (regional ? domain.regionalDomainName : domain.distributionDomainName) ?? '',
          mappings: mappings.sort((a, b) => a.key.localeCompare(b.key)),
        });
      }
    }
    return listed;
  } finally {
    rest.destroy();
    http.destroy();
  }
}
