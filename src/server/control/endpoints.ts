/**
 * Stratus's own state endpoints: `GET /_stratus/health` (open), `POST /_stratus/reset`,
 * `POST /_stratus/snapshot` (answers the snapshot file) and `PUT /_stratus/snapshot` (loads the
 * file sent). One reset or snapshot runs at a time; requests meanwhile wait their turn.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../engine/clock.js';
import type { ClockSync } from '../../engine/clock-sync.js';
import { jsonResponse } from '../../protocol/wire.js';
import type { Migration } from '../../storage/store.js';
import { AsyncMutex } from '../../storage/mutex.js';
import type { HealthReport } from '../health.js';
import type { InternalResponse } from '../http-server.js';
import { resetServices } from './reset.js';
import type { ControlRoute } from './router.js';
import { UnknownServices, type ServicesState } from './services-state.js';
import { SnapshotError } from './snapshot-format.js';
import { loadSnapshot } from './snapshot-load.js';
import { saveSnapshot } from './snapshot-save.js';
import { timeReport } from './time.js';

export interface StateEndpointsDeps {
  state: ServicesState;
  clock: Clock;
  /** Moves Stratus's time for every node: a load with `?time=saved` goes back to when the snapshot was taken. */
  clockSync: ClockSync;
  /** Every migration this Stratus runs, in order (snapshots from older versions are brought up to them). */
  migrations: readonly Migration[];
  /** Where uploads and snapshots being written wait: `<dataDir>/tmp`. */
  tmpDir: string;
}

const error = (status: number, type: string, message: string) => {
  const response = jsonResponse(status, { __type: type, message });
  return { ...response, headers: { ...response.headers, 'x-amzn-errortype': type } };
};

export function healthRoute(health: () => HealthReport): ControlRoute {
  return {
    method: 'GET',
    path: /^\/_stratus\/health$/,
    access: 'open',
    handle: async () => jsonResponse(200, health()),
  };
}

export function stateRoutes(deps: StateEndpointsDeps): ControlRoute[] {
  const { state, clock, tmpDir } = deps;
  const exclusive = new AsyncMutex();
  const oneAtATime = async <T>(work: () => Promise<T>): Promise<T> => {
    await exclusive.acquire();
    try {
      return await work();
    } finally {
      exclusive.release();
    }
  };
  const tempFile = async (what: string) => {
    await mkdir(tmpDir, { recursive: true });
    return join(tmpDir, `${what}-${process.pid}-${randomBytes(8).toString('hex')}.gz`);
  };

  return [
    {
      method: 'POST',
      path: /^\/_stratus\/reset$/,
      access: 'signed',
      async handle(_match, request) {
        const names = servicesOf(request.body);
        if (typeof names === 'string') return error(400, 'ValidationException', names);
        try {
          return jsonResponse(200, await oneAtATime(() => resetServices(state, names)));
        } catch (err) {
          if (err instanceof UnknownServices) return error(400, 'ValidationException', err.message);
          throw err;
        }
      },
    },
    {
      method: 'POST',
      path: /^\/_stratus\/snapshot$/,
      access: 'signed',
      async handle(): Promise<InternalResponse> {
        const path = await tempFile('snapshot');
        await oneAtATime(() => saveSnapshot(state, path, clock));
        const { size } = await stat(path);
        const file = createReadStream(path);
        // Unlinked once open: the stream reads on, and nothing is left behind however it ends.
        await new Promise((resolve, reject) => file.once('open', resolve).once('error', reject));
        await rm(path, { force: true });
        const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
        return {
          status: 200,
          headers: {
            'content-type': 'application/gzip',
            'content-length': String(size),
            'content-disposition': `attachment; filename="stratus-${stamp}.snapshot"`,
          },
          body: file,
        };
      },
    },
    {
      method: 'PUT',
      path: /^\/_stratus\/snapshot$/,
      access: 'signed',
      body: 'stream',
      async handle(_match, request, body) {
        const time = request.query.time;
        if (time !== undefined && (time.length !== 1 || time[0] !== 'saved')) {
          const refused = error(400, 'ValidationException', "time takes one value: 'saved'");
          // Saves reading an upload nobody will take.
          return { ...refused, headers: { ...refused.headers, connection: 'close' } };
        }
        const path = await tempFile('upload');
        try {
          await pipeline(body, createWriteStream(path));
          const report = await oneAtATime(() =>
            loadSnapshot(state, path, { migrations: deps.migrations, workDir: tmpDir }),
          );
          if (time === undefined) return jsonResponse(200, report);
          // The fixture's world resumes where it was saved: its messages are as fresh as they were.
          await deps.clockSync.change({ offsetMs: Date.parse(report.createdAt) - Date.now() });
          return jsonResponse(200, { ...report, time: timeReport(deps.clockSync.clock) });
        } catch (err) {
          if (err instanceof SnapshotError) return error(400, 'InvalidSnapshot', err.message);
          throw err;
        } finally {
          await rm(path, { force: true });
        }
      },
    },
  ];
}

/** `{"services": ["sqs", …]}` (or no body: everything), or what is wrong with the body. */
function servicesOf(body: Buffer): string[] | undefined | string {
  if (body.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'The body must be JSON: {"services": ["sqs", …]}, or empty to reset everything.';
  }
  const services = (parsed as { services?: unknown } | null)?.services;
  if (services === undefined) return undefined;
  if (!Array.isArray(services) || !services.every((s) => typeof s === 'string')) {
    return '"services" must be a list of service names.';
  }
  if (services.length === 0)
    return 'Name at least one service in "services", or send no body to reset everything.';
  return services;
}
