/**
 * ES modules and NODE_PATH, for the Node.js runtime (bootstrap.mjs). Node's ES module resolution
 * ignores NODE_PATH; Lambda's runtime lets ES modules import from layers
 * (`/opt/nodejs/nodeXX/node_modules`, `/opt/nodejs/node_modules`) and the SDK all the same. The
 * resolution hooks in esm-resolution.mjs do that; this module decides when to register them.
 */
import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;

let resolvingFromNodePath = false;
const nodePathModules = () =>
  (env.NODE_PATH ?? '').split(':').filter((dir) => basename(dir) === 'node_modules');

/** Registers the hooks that let ES modules resolve from NODE_PATH (esm-resolution.mjs), once. */
function resolveFromNodePath() {
  if (resolvingFromNodePath) return false;
  const nodeModules = nodePathModules();
  if (nodeModules.length === 0) return false;
  resolvingFromNodePath = true;
  register(new URL('./esm-resolution.mjs', import.meta.url), { data: { nodeModules } });
  return true;
}

const realpathOf = (path) => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

/** Layers' package directories on NODE_PATH: `<opt>/nodejs/node_modules`, `<opt>/nodejs/node20/node_modules`. */
const isLayerDirectory = (dir) => /\/nodejs\/(node\d+\/)?node_modules$/.test(dir);

/**
 * Whether a layer's node_modules exists that ES modules under the task root cannot reach by
 * Node's own walk up the directories (the sandbox links one at /var/node_modules). Then the
 * hooks go in before the handler loads, so an `import()` at any time finds layer packages. The
 * SDK does not count: importing it is served on demand (`importModule`).
 */
function layerUnreachable(taskRoot) {
  return nodePathModules()
    .filter(isLayerDirectory)
    .map(realpathOf)
    .some((target) => {
      if (target === undefined) return false;
      for (let dir = realpathOf(taskRoot) ?? taskRoot; ; dir = dirname(dir)) {
        if (realpathOf(join(dir, 'node_modules')) === target) return false;
        if (dirname(dir) === dir) return true;
      }
    });
}

/**
 * Imports an ES module. When it cannot find a package and the hooks are not in yet, they are
 * registered and the module imported again — under a new URL (`?node-path`), since Node keeps
 * the failed import under the first. (Node runs such hooks on a thread of their own, which
 * costs a cold start tens of milliseconds: only functions that need them pay it.)
 */
export async function importModule(file) {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (error) {
    const missingPackage =
      error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package/.test(error.message);
    if (!missingPackage || !resolveFromNodePath()) throw error;
    return import(`${url}?node-path`);
  }
}

/** Before the handler loads: the hooks go in now if a layer's packages need them. */
export function prepareNodePath(taskRoot) {
  if (layerUnreachable(taskRoot)) resolveFromNodePath();
}
