/**
 * SES templates are Handlebars: `{{name}}` inserts a value (HTML-escaped in the HTML part),
 * `{{{name}}}` inserts it as is, and dotted paths reach into nested objects (`{{user.first}}`).
 * This is that subset; sections (`{{#if}}`, `{{#each}}`) are left as written. A value the data
 * lacks renders as nothing. Pure: template and data in, text out.
 */

function lookup(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => htmlEscapes[c]!);
}

const placeholder = /\{\{\{\s*([\w.-]+)\s*\}\}\}|\{\{\s*([\w.-]+)\s*\}\}/g;

/** The placeholders `data` has no value for, in order of appearance: TestRenderTemplate's check. */
export function missingValues(template: string, data: unknown): string[] {
  const missing = [...template.matchAll(placeholder)]
    .map((m) => (m[1] ?? m[2])!)
    .filter((path) => lookup(data, path) === undefined);
  return [...new Set(missing)];
}

export function renderTemplate(template: string, data: unknown, options: { html: boolean }): string {
  return template.replace(placeholder, (_, raw: string | undefined, escaped: string | undefined) => {
    if (raw !== undefined) return asText(lookup(data, raw));
    const text = asText(lookup(data, escaped!));
    return options.html ? escapeHtml(text) : text;
  });
}
