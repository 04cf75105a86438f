/** `DeleteAccessLogSettings`: an HTTP or WebSocket stage stops logging access. */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import { NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import { httpStageOf } from '../http-stages.js';
import { stageQueries, type ApiPlace } from '../tables.js';

export class StageAccessLogs {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async delete(input: V2.DeleteAccessLogSettingsRequest, at: ApiPlace): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await stageQueries.find(tx, api.ApiId, input.StageName!);
      if (!row) throw new NotFoundException(`Invalid stage identifier specified ${input.StageName!}`);
      const stage = httpStageOf(row);
      delete stage.AccessLogSettings;
      stage.LastUpdatedDate = this.clock.now();
      await stageQueries.update(
        tx,
        api.ApiId,
        stage.StageName,
        stage.DeploymentId ?? null,
        JSON.stringify(stage),
      );
    });
  }
}
