/** An exported document as JSON or YAML text, the two forms GetExport and ExportApi answer in. */
import { stringify } from 'yaml';

export type OutputFormat = 'json' | 'yaml';

export function writeDocument(document: unknown, format: OutputFormat): string {
  if (format === 'yaml') return stringify(document, { lineWidth: 0 });
  return JSON.stringify(document, null, 2);
}
