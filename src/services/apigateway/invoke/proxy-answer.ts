/** A proxy integration's result as the edge's answer: repeated headers kept apart, API Gateway's own added. */
import type { EdgeResponse } from '../../service.js';

export function proxyAnswer(
  status: number,
  resultHeaders: readonly (readonly [string, string])[],
  body: Buffer,
  own: Record<string, string>,
  keepHeader: (name: string) => boolean = () => true,
): EdgeResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of resultHeaders) {
    const key = name.toLowerCase();
    if (!keepHeader(key)) continue;
    const before = headers[key];
    headers[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  headers['content-type'] ??= 'application/json';
  return { status, headers: { ...headers, ...own }, body };
}
