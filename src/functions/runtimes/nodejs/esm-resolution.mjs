/**
 * Module resolution hooks (`module.register`) that let ES modules find bare specifiers in the
 * `node_modules` directories on NODE_PATH, in NODE_PATH's order, after Node's own resolution
 * failed — as `require` does, and as Lambda's Node.js runtime lets ES modules import from layers
 * (`/opt/nodejs/nodeXX/node_modules`, `/opt/nodejs/node_modules`) and the SDK.
 *
 * Node runs these hooks on a thread of their own, which costs a cold start tens of milliseconds,
 * so the runtime registers them only once a module fails to find a package (bootstrap.mjs).
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `node_modules` directories, as `file:` URLs of a module directly beside each. */
let parents = [];

export function initialize(data) {
  parents = data.nodeModules.map((dir) => pathToFileURL(join(dirname(dir), 'noop.mjs')).href);
}

/** `lodash`, `@aws-sdk/client-s3/sub`: not relative, absolute, or a URL (`node:`, `file:` …). */
const isBare = (specifier) => !/^(\.{0,2}\/|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier);

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        // Resolving from beside a node_modules directory looks in it first.
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // Not there: the next directory.
      }
    }
    throw error;
  }
}
