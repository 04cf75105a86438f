/**
 * What a target receives for an event: the event itself, the target's constant `Input`, the part
 * of the event its `InputPath` names, or its `InputTransformer`'s template filled in. Pure.
 *
 * A template's `<name>` placeholders take the values `InputPathsMap` extracts, or EventBridge's
 * predefined `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event.ingestion-time`,
 * `aws.events.event` (the event without `detail`) and `aws.events.event.json` (the whole event).
 * A placeholder inside a JSON string is replaced by the value's text, escaped for that string; one
 * outside a string by the value as JSON in a JSON template (one in braces), or by its text in a
 * plain-text one. A path that reaches nothing gives `null` as JSON and nothing as text. The two
 * event variables are inserted as raw JSON wherever they stand, as EventBridge inserts them.
 * `<` and `>` around any other name are left as written.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from './envelope.js';
import { evaluate, parseJsonPath } from './json-path.js';

export interface InputContext {
  ruleArn: string;
  ruleName: string;
  /** ISO 8601, when EventBridge received the event. */
  ingestionTime: string;
}

type Value = { found: false } | { found: true; value: unknown } | { raw: string };

export function targetInput(
  target: EventBridge.Target,
  event: EventEnvelope,
  eventText: string,
  context: InputContext,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const reached = evaluate(parseJsonPath(target.InputPath)!, event);
    return reached.found ? JSON.stringify(reached.value) : 'null';
  }
  if (target.InputTransformer !== undefined) {
    const { InputPathsMap = {}, InputTemplate = '' } = target.InputTransformer;
    return renderTemplate(InputTemplate, variables(InputPathsMap, event, eventText, context));
  }
  return eventText;
}

function variables(
  paths: Record<string, string>,
  event: EventEnvelope,
  eventText: string,
  context: InputContext,
): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const [name, path] of Object.entries(paths)) values.set(name, evaluate(parseJsonPath(path)!, event));
  const { detail: _detail, ...withoutDetail } = event;
  values.set('aws.events.rule-arn', { found: true, value: context.ruleArn });
  values.set('aws.events.rule-name', { found: true, value: context.ruleName });
  values.set('aws.events.event.ingestion-time', { found: true, value: context.ingestionTime });
  values.set('aws.events.event', { raw: JSON.stringify(withoutDetail) });
  values.set('aws.events.event.json', { raw: eventText });
  return values;
}

const placeholder = /<([A-Za-z0-9_.-]+)>/y;

/** Fills a template's placeholders, tracking whether each stands inside a JSON string. */
export function renderTemplate(template: string, values: ReadonlyMap<string, Value>): string {
  const json = /^\s*[{[]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (inString && c === '\\') {
      out += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      placeholder.lastIndex = i;
      const m = placeholder.exec(template);
      const value = m ? values.get(m[1]!) : undefined;
      if (m && value) {
        out += substitute(value, inString, json);
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function substitute(value: Value, inString: boolean, json: boolean): string {
  if ('raw' in value) return value.raw;
  if (!value.found) return inString || !json ? '' : 'null';
  const text = typeof value.value === 'string' ? value.value : JSON.stringify(value.value);
  if (inString) return JSON.stringify(text).slice(1, -1);
  return json ? JSON.stringify(value.value) : text;
}
