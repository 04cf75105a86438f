/** What a mapping template is rendered with, and how. */

export interface TemplateInput {
  /** The raw request body (request templates) or integration response body (response templates). */
  body: string;
  /** The method request's parameters, as `$input.params()` returns them. */
  params: {
    path: Record<string, string>;
    querystring: Record<string, string>;
    header: Record<string, string>;
  };
}

export interface TemplateVariables {
  /** Backs `$input`. */
  input: TemplateInput;
  /**
   * Backs `$context`: nested objects are maps (`$context.identity.sourceIp`,
   * `$context.authorizer.claims.sub`). Give `requestOverride: { header: {}, path: {}, querystring: {} }`
   * or `responseOverride: { header: {} }` to collect what `#set($context.requestOverride.header.X = …)`
   * sets: `evaluateTemplate` returns the context as the template left it.
   */
  context: Record<string, unknown>;
  /** Backs `$stageVariables`. */
  stageVariables: Record<string, string>;
}

export interface RenderLimits {
  /** `#foreach` turns over the whole render (every loop, nested ones included). */
  loopIterations: number;
  /** Characters of output, and of any one string the template builds. */
  outputLength: number;
  /** Elements of a range (`[1..n]`) or of a list or map the template grows. */
  collectionSize: number;
  /** Macros calling macros (Velocity's `velocimacro.max.depth`). */
  macroDepth: number;
}

export const defaultLimits: RenderLimits = {
  loopIterations: 1_000_000,
  // API Gateway's payload limit.
  outputLength: 10 * 1024 * 1024,
  collectionSize: 1_000_000,
  macroDepth: 20,
};

export interface RenderOptions {
  /**
   * What a reference whose value is null prints. API Gateway prints nothing (`"$context.identity.apiKey"`
   * is `""` without a key; its engine treats every reference as quiet), which is the default;
   * `'source'` prints the reference as written, as stock Velocity does for `$missing` (not `$!missing`).
   */
  nullReferences?: 'empty' | 'source';
  /** Caps on a runaway template; exceeding one throws TemplateError. */
  limits?: Partial<RenderLimits>;
}

export interface TemplateResult {
  output: string;
  /** `$context` after rendering, with what the template `#set` in it (request and response overrides). */
  context: Record<string, unknown>;
}
