/**
 * `stratus apis`: the deployed APIs of a running Stratus — REST, HTTP and WebSocket — with each
 * stage's invoke URLs: the host-based one (`http://{id}.execute-api.localhost:4566/{stage}/`, which
 * browsers and curl resolve to loopback) and the path-based one for clients that cannot; then the
 * custom domain names and what they map (api-domains.ts).
 */
import type { RestApi, Stage } from '@aws-sdk/client-api-gateway';
import type { Api, Stage as StageV2 } from '@aws-sdk/client-apigatewayv2';
import { formatDomains, listDomains } from './api-domains.js';
import type { Command } from './command.js';
import {
  connectionFlags,
  connectionOf,
  formatTable,
  reportingFailures,
  type Connection,
} from './functions.js';

export interface ListedApi {
  name: string;
  type: 'REST' | 'HTTP' | 'WEBSOCKET';
  id: string;
  /** Stage names; `$default` is served without a stage segment. */
  stages: string[];
}

/** A stage's two invoke URLs on the edge `endpoint`. */
export function invokeUrls(endpoint: URL, api: ListedApi, stage: string): { host: string; path: string } {
  const port = endpoint.port ? `:${endpoint.port}` : '';
  const scheme = api.type === 'WEBSOCKET' ? 'ws' : 'http';
  const stagePath = stage === '$default' ? '/' : `/${stage}/`;
  return {
    host: `${scheme}://${api.id}.execute-api.localhost${port}${stagePath}`,
    path: `${scheme}://${endpoint.host}/_aws/execute-api/${api.id}${stagePath}`,
  };
}

export function formatApis(apis: readonly ListedApi[], endpoint: URL): string {
  const rows = apis.flatMap((api) => {
    const stages = api.stages.length > 0 ? api.stages : [undefined];
    return stages.map((stage) => {
      const urls = stage === undefined ? undefined : invokeUrls(endpoint, api, stage);
      return [api.name, api.type, api.id, stage ?? '(not deployed)', urls?.host ?? '-', urls?.path ?? '-'];
    });
  });
  return formatTable(['Name', 'Type', 'API id', 'Stage', 'Invoke URL', 'Path-style URL'], rows);
}

async function listApis(connection: Connection): Promise<ListedApi[]> {
  const v1 = await import('@aws-sdk/client-api-gateway');
  const v2 = await import('@aws-sdk/client-apigatewayv2');
  const rest = new v1.APIGatewayClient(connection.clientConfig);
  const http = new v2.ApiGatewayV2Client(connection.clientConfig);
  try {
    const listed: ListedApi[] = [];
    const restApis: RestApi[] = [];
    for await (const page of v1.paginateGetRestApis({ client: rest }, {}))
      restApis.push(...(page.items ?? []));
    for (const api of restApis) {
      const stages: Stage[] = (await rest.send(new v1.GetStagesCommand({ restApiId: api.id }))).item ?? [];
      listed.push({
        name: api.name ?? '',
        type: 'REST',
        id: api.id!,
        stages: stages.map((s) => s.stageName!),
      });
    }
    const httpApis: Api[] = [];
    let token: string | undefined;
    do {
      const page = await http.send(new v2.GetApisCommand({ NextToken: token }));
      httpApis.push(...(page.Items ?? []));
      token = page.NextToken;
    } while (token);
    for (const api of httpApis) {
      const stages: StageV2[] = (await http.send(new v2.GetStagesCommand({ ApiId: api.ApiId }))).Items ?? [];
      listed.push({
        name: api.Name ?? '',
        type: api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP',
        id: api.ApiId!,
        stages: stages.map((s) => s.StageName!),
      });
    }
    return listed.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  } finally {
    rest.destroy();
    http.destroy();
  }
}

export const apis: Command = {
  name: 'apis',
  summary: 'List the deployed APIs and their invoke URLs',
  description: [
    'Lists the REST, HTTP and WebSocket APIs of the account and region with each stage and its',
    'invoke URLs: http://{id}.execute-api.localhost:PORT/{stage}/ (browsers and curl reach',
    '*.localhost on loopback), and a path-style URL for clients that cannot choose the host;',
    'then the custom domain names with their mappings, at the domain and at its local alias.',
  ].join('\n'),
  flags: connectionFlags,
  async run(values, env) {
    const connection = connectionOf(values, env);
    return reportingFailures('apis', connection, async () => {
      const listed = await listApis(connection);
      const domains = await listDomains(connection);
      if (listed.length === 0 && domains.length === 0) {
        process.stdout.write(
          `No APIs in ${connection.region} at ${connection.endpoint.origin} yet. Create one with 'aws apigateway create-rest-api', 'aws apigatewayv2 create-api' or an SDK.\n`,
        );
        return 0;
      }
      const tables = [
        ...(listed.length > 0 ? [formatApis(listed, connection.endpoint)] : []),
        ...(domains.length > 0 ? [formatDomains(domains, connection.endpoint)] : []),
      ];
      process.stdout.write(tables.join('\n'));
      return 0;
    });
  },
};
