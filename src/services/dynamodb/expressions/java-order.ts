/**
 * DynamoDB is written in Java, and where a message lists several keys — the unused expression
 * attribute names or values — it lists them in the order a java.util.HashSet iterates them: by
 * hash bucket, then by insertion. Reproducing that order makes the message the same text.
 */

/** Java's String.hashCode: over UTF-16 code units, wrapping at 32 bits. */
function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `keys` in the order of a HashSet built from `total` keys (which sizes its table) once the
 * others were removed.
 */
export function javaHashSetOrder(keys: readonly string[], total: number): string[] {
  const wanted = Math.max(Math.floor(total / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  const bucket = (key: string) => {
    const hash = javaHash(key);
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}
