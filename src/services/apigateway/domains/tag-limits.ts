/**
 * API Gateway's rules for tags: at most 50 on a resource, keys of 1 to 128 characters, values of
 * at most 256, and no key starting with `aws:` (AWS's own prefix).
 */
import { BadRequestException } from '../errors.js';

const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/** Characters, not UTF-16 units: AWS counts Unicode characters. */
const length = (text: string): number => [...text].length;

/** The resource's tags once `added` are set on it; refuses what breaks a rule. */
export function withTags(
  existing: Record<string, string>,
  added: Record<string, string>,
): Record<string, string> {
  for (const [key, value] of Object.entries(added)) {
    if (length(key) < 1 || length(key) > MAX_KEY_LENGTH) {
      throw new BadRequestException(
        `Tag key must be between 1 and ${MAX_KEY_LENGTH} characters long: ${key}`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new BadRequestException(`Tag keys starting with 'aws:' are reserved for AWS use: ${key}`);
    }
    if (length(value) > MAX_VALUE_LENGTH) {
      throw new BadRequestException(
        `Tag value of ${key} must be at most ${MAX_VALUE_LENGTH} characters long`,
      );
    }
  }
  const tags = { ...existing, ...added };
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new BadRequestException(`A resource can have at most ${MAX_TAGS} tags`);
  }
  return tags;
}
