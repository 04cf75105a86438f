/**
 * Which bodies API Gateway carries as base64 between a client and a Lambda proxy integration.
 *
 * REST APIs decide by the API's `binaryMediaTypes`: a request body whose `Content-Type` matches
 * one is base64-encoded into the event; a function's base64 body (`isBase64Encoded: true`) is
 * decoded to bytes only when the first media type of the request's `Accept` matches one, and is
 * otherwise sent as the base64 text itself. Entries may hold wildcards (`image/*`, `*\/*`).
 *
 * HTTP APIs have no binaryMediaTypes: they pass a request body as text only when its content type
 * is text — `text/*`, `application/json`, `application/xml`, `application/javascript` — and
 * base64-encode every other body, a missing Content-Type and `application/x-www-form-urlencoded`
 * included (observed on AWS; the documentation only says "binary" bodies are encoded).
 */

/** The media type of a Content-Type or Accept entry: lower-case, parameters (`; charset=…`) cut. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether `type` (`image/png`) is one of `binaryMediaTypes`, whose entries may hold `*` parts. */
export function isBinaryMediaType(type: string, binaryMediaTypes: readonly string[]): boolean {
  const [kind = '', subtype = ''] = type.split('/');
  return binaryMediaTypes.some((entry) => {
    const [entryKind = '', entrySubtype = ''] = mediaType(entry).split('/');
    return (entryKind === '*' || entryKind === kind) && (entrySubtype === '*' || entrySubtype === subtype);
  });
}

/**
 * The media type API Gateway reads from an Accept header: only the first listed counts
 * (`image/webp,image/*,*\/*;q=0.8` is `image/webp`). A request without Accept accepts anything,
 * `*\/*`, which only a `*\/*` entry of binaryMediaTypes matches.
 */
export function firstAcceptedType(accept: string | undefined): string {
  const first = mediaType((accept ?? '').split(',')[0]);
  return first === '' ? '*/*' : first;
}

const httpApiTextTypes = new Set(['application/json', 'application/xml', 'application/javascript']);

/** Whether an HTTP API passes a request body of this Content-Type as text rather than base64. */
export function isHttpApiTextType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type.startsWith('text/') || httpApiTextTypes.has(type);
}
