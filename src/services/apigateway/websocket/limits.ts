/**
 * API Gateway's quotas for WebSocket APIs ("Quotas for configuring and running a WebSocket API"),
 * none of which AWS lets anyone raise. Tests shorten the timeouts through the gateway's options.
 */

/** A connection with no message either way for this long is closed (1001, `Going away`). */
export const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/** No connection outlives this, active or not (1001, `Going away`). */
export const MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;
/**
 * A frame from the client larger than this closes the connection with 1009: a longer message
 * must come in several frames. Frames to the client are cut to this size too.
 */
export const MAX_FRAME_BYTES = 32 * 1024;
/** A message (all its frames) larger than this closes the connection with 1009. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface WebSocketLimits {
  idleTimeoutMs: number;
  maxConnectionMs: number;
  maxFrameBytes: number;
  maxMessageBytes: number;
}

export const webSocketLimits: WebSocketLimits = {
  idleTimeoutMs: IDLE_TIMEOUT_MS,
  maxConnectionMs: MAX_CONNECTION_MS,
  maxFrameBytes: MAX_FRAME_BYTES,
  maxMessageBytes: MAX_MESSAGE_BYTES,
};
