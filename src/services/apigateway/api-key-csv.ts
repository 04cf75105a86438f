/**
 * ImportApiKeys' CSV file (AWS's "API key file format"): a header row naming columns in any order
 * and any case — `Name` and `Key` required, `Description`, `Enabled` and `UsagePlanIds` optional,
 * others ignored — then one key a row. A field may be quoted with `"` or `'` (so `UsagePlanIds`
 * can list several plans, `"c7y23b,glvrsr"`); `""` inside double quotes is one quote. Pure.
 */
import { BadRequestException } from './errors.js';

export interface ImportedKeyRow {
  /** The row's line in the file, 1 being the header. */
  line: number;
  name: string;
  key: string;
  description: string;
  /** True unless the column says `false` (any case): AWS's default. */
  enabled: boolean;
  usagePlanIds: string[];
}

/** The fields of one CSV line. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : undefined;
    if (quote) {
      i++;
      while (i < line.length) {
        if (line[i] === quote && line[i + 1] === quote && quote === '"') {
          field += quote;
          i += 2;
        } else if (line[i] === quote) {
          i++;
          break;
        } else field += line[i++];
      }
      // Whatever follows the closing quote up to the comma belongs to the field.
      while (i < line.length && line[i] !== ',') field += line[i++];
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    fields.push(quote ? field : field.trim());
    if (i >= line.length) return fields;
    i++;
  }
}

export function parseApiKeyCsv(text: string): ImportedKeyRow[] {
  const lines = text.split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((name) => name.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  if (column('name') < 0 || column('key') < 0)
    throw new BadRequestException('Invalid API key file: the Name and Key columns are required');
  const rows: ImportedKeyRow[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const fields = csvFields(line);
    const field = (name: string) => (column(name) >= 0 ? (fields[column(name)] ?? '') : '');
    rows.push({
      line: i + 2,
      name: field('name'),
      key: field('key'),
      description: field('description'),
      enabled: field('enabled').trim().toLowerCase() !== 'false',
      usagePlanIds: field('usageplanids')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    });
  });
  return rows;
}
