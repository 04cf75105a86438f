/**
 * Email templates, one set per account and region shared by v1 (`CreateTemplate`) and v2
 * (`CreateEmailTemplate`), as on AWS. Each API words "already exists" and "does not exist" in its
 * own errors, so callers pass theirs in.
 */
import type { Clock } from '../../engine/clock.js';
import type { ServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import { missingValues, renderTemplate } from './render-template.js';
import { templateQueries, type Region, type TemplateFields, type TemplateRow } from './tables.js';

export interface TemplateParts {
  name: string;
  subject?: string | undefined;
  text?: string | undefined;
  html?: string | undefined;
}

export interface Rendered {
  subject: string;
  text?: string;
  html?: string;
}

function fields(parts: TemplateParts): Omit<TemplateFields, 'created_at'> {
  return {
    name: parts.name,
    subject: parts.subject ?? null,
    text_part: parts.text ?? null,
    html_part: parts.html ?? null,
  };
}

export class Templates {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(at: Region, parts: TemplateParts, exists: () => ServiceError): Promise<void> {
    const created = await templateQueries.insert(this.store, at, {
      ...fields(parts),
      created_at: this.clock.now(),
    });
    if (!created) throw exists();
  }

  async update(at: Region, parts: TemplateParts, missing: () => ServiceError): Promise<void> {
    if (!(await templateQueries.update(this.store, at, fields(parts)))) throw missing();
  }

  async get(at: Region, name: string, missing: () => ServiceError): Promise<TemplateRow> {
    const row = await templateQueries.get(this.store, at, name);
    if (!row) throw missing();
    return row;
  }

  /** True when there was one to delete. */
  delete(at: Region, name: string): Promise<boolean> {
    return templateQueries.delete(this.store, at, name);
  }

  list(at: Region, afterName: string | undefined, limit: number): Promise<TemplateRow[]> {
    return templateQueries.list(this.store, at, afterName, limit);
  }

  /** The placeholders of any part that `data` has no value for. */
  missing(template: Pick<TemplateFields, 'subject' | 'text_part' | 'html_part'>, data: unknown): string[] {
    const parts = [template.subject, template.text_part, template.html_part].filter((p) => p !== null);
    return [...new Set(parts.flatMap((part) => missingValues(part, data)))];
  }

  /** The template's parts with `data` filled in. */
  render(template: Pick<TemplateFields, 'subject' | 'text_part' | 'html_part'>, data: unknown): Rendered {
    return {
      subject: renderTemplate(template.subject ?? '', data, { html: false }),
      ...(template.text_part !== null
        ? { text: renderTemplate(template.text_part, data, { html: false }) }
        : {}),
      ...(template.html_part !== null
        ? { html: renderTemplate(template.html_part, data, { html: true }) }
        : {}),
    };
  }
}
