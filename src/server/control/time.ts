/**
 * `GET|POST /_stratus/time`: what time it is in Stratus, and moving it.
 *
 *   GET  /_stratus/time
 *   POST /_stratus/time?advance=90m          forward by a duration
 *   POST /_stratus/time?at=2027-01-01T00:00:00Z
 *   POST /_stratus/time?freeze | ?resume      stop time / let it flow again (combinable with at or advance)
 *   POST /_stratus/time?real                  back to the host's time, flowing
 *
 * Every answer is the clock as it stands afterwards.
 */
import type { ClockSetting, StratusClock } from '../../engine/clock.js';
import type { ClockSync } from '../../engine/clock-sync.js';
import { parseDuration, parseIsoTime } from '../../engine/durations.js';
import { jsonResponse, type WireRequest } from '../../protocol/wire.js';
import type { ControlRoute } from './router.js';

export interface TimeReport {
  /** Stratus's time, ISO 8601. */
  now: string;
  epochMillis: number;
  frozen: boolean;
  /** How far Stratus's time is ahead of the host's (negative: behind). */
  offsetMs: number;
}

export function timeReport(clock: StratusClock, hostNow = Date.now()): TimeReport {
  const now = clock.now();
  return {
    now: new Date(now).toISOString(),
    epochMillis: now,
    frozen: clock.frozen,
    offsetMs: now - hostNow,
  };
}

class BadTimeRequest extends Error {}

function single(request: WireRequest, name: string): string | undefined {
  const values = request.query[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw new BadTimeRequest(`'${name}' may be given once`);
  return values[0];
}

/** The setting a POST asks for, starting from the clock as it is. */
export function requestedSetting(request: WireRequest, clock: StratusClock, hostNow: number): ClockSetting {
  const known = new Set(['advance', 'at', 'freeze', 'resume', 'real']);
  const unknown = Object.keys(request.query).find((name) => !known.has(name));
  if (unknown)
    throw new BadTimeRequest(`Unknown parameter '${unknown}'; use advance, at, freeze, resume or real`);
  const advance = single(request, 'advance');
  const at = single(request, 'at');
  const freeze = single(request, 'freeze') !== undefined;
  const resume = single(request, 'resume') !== undefined;
  if (single(request, 'real') !== undefined) {
    if (Object.keys(request.query).length > 1) throw new BadTimeRequest("'real' takes no other parameter");
    return { offsetMs: 0 };
  }
  if (advance !== undefined && at !== undefined) throw new BadTimeRequest("Give 'advance' or 'at', not both");
  if (freeze && resume) throw new BadTimeRequest("Give 'freeze' or 'resume', not both");
  if (advance === undefined && at === undefined && !freeze && !resume) {
    throw new BadTimeRequest('Say what to do: advance=DURATION, at=ISO-8601, freeze, resume or real');
  }

  let target = clock.now();
  if (advance !== undefined) {
    const ms = parseDuration(advance);
    if (ms === undefined) {
      throw new BadTimeRequest(
        `'${advance}' is not a duration: use forms like 90m, 1h30m, 12h, 2d, 45s, 500ms`,
      );
    }
    target += ms;
  }
  if (at !== undefined) {
    const ms = parseIsoTime(at);
    if (ms === undefined) throw new BadTimeRequest(`'${at}' is not an ISO 8601 date and time`);
    target = ms;
  }
  const frozen = freeze || (clock.frozen && !resume);
  return frozen ? { offsetMs: target - hostNow, frozenAt: target } : { offsetMs: target - hostNow };
}

/** `GET` and `POST /_stratus/time`; signed, like every endpoint that reads or changes state. */
export function timeRoutes(sync: ClockSync): ControlRoute[] {
  const path = /^\/_stratus\/time$/;
  return [
    {
      method: 'GET',
      path,
      access: 'signed',
      async handle() {
        await sync.refresh();
        return jsonResponse(200, timeReport(sync.clock));
      },
    },
    {
      method: 'POST',
      path,
      access: 'signed',
      async handle(_match, request) {
        try {
          await sync.refresh();
          await sync.change(requestedSetting(request, sync.clock, Date.now()));
        } catch (err) {
          if (!(err instanceof BadTimeRequest)) throw err;
          return jsonResponse(400, { __type: 'ValidationException', message: err.message });
        }
        return jsonResponse(200, timeReport(sync.clock));
      },
    },
  ];
}
