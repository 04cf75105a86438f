/**
 * The `@connections` API (ApiGatewayManagementApi): what a backend uses to push to a WebSocket
 * client, look at its connection, or close it.
 *
 * Differences from AWS: a connection is found by its id alone, whichever API and stage the URL
 * names (ids are unique across APIs); another account's connection is `GoneException`, not
 * `ForbiddenException`; to a connection held by another node, PostToConnection answers once the
 * message is recorded for that node, which sends it within about 100 ms.
 */
import type * as Management from '@aws-sdk/client-apigatewaymanagementapi';
import type { RequestContext } from '../../service.js';
import type { NodeConnections } from './node-connections.js';

export class ApiGatewayManagementProvider {
  constructor(private readonly connections: NodeConnections) {}

  async PostToConnection(
    input: Omit<Management.PostToConnectionRequest, 'Data'> & { Data?: Buffer },
    at: RequestContext,
  ): Promise<object> {
    await this.connections.post(input.ConnectionId!, at.accountId, input.Data ?? Buffer.alloc(0));
    return {};
  }

  async GetConnection(
    input: Management.GetConnectionRequest,
    at: RequestContext,
  ): Promise<Management.GetConnectionResponse> {
    const row = await this.connections.find(input.ConnectionId!, at.accountId);
    return {
      ConnectedAt: new Date(row.connected_at),
      LastActiveAt: new Date(row.last_active_at),
      Identity: { SourceIp: row.source_ip, UserAgent: row.user_agent },
    };
  }

  async DeleteConnection(input: Management.DeleteConnectionRequest, at: RequestContext): Promise<object> {
    await this.connections.delete(input.ConnectionId!, at.accountId);
    return {};
  }
}
