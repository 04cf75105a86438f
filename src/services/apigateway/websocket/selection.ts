/**
 * Selection expressions of WebSocket APIs: the API's `RouteSelectionExpression` evaluated against
 * a message gives a route key (the route with that key serves the message, else `$default`); a
 * route's `ModelSelectionExpression`, an integration's and an integration response's
 * `TemplateSelectionExpression` give the key of a model or a template the same way. Pure.
 *
 * The expression language, as AWS documents it for selection expressions:
 * - `$request.body.action` or `${request.body.action}`: a JSONPath into the message, which must
 *   be JSON; a result that is not a string is stringified (`1`, `true`, `["a","b"]`).
 * - static text around variables: `${request.body.service}/${request.body.action}` → `chat/join`;
 *   `\$` is a literal dollar (`\$default` is the key `$default`).
 * - integration responses' also read `integration.response.statuscode`,
 *   `integration.response.header.{name}` and `integration.response.multivalueheader.{name}`.
 * - a message that is not JSON, a path that names nothing, or a variable the expression's place
 *   does not know cannot be evaluated: no key (a route goes to `$default`).
 */

/** A variable's value, or undefined when it has none. */
export type SelectionVariables = (variable: string) => unknown;

/** The key an expression gives, or undefined when it cannot be evaluated. */
export function evaluateSelection(expression: string, variables: SelectionVariables): string | undefined {
  let key = '';
  for (const part of parseExpression(expression)) {
    if (typeof part === 'string') {
      key += part;
      continue;
    }
    const value = variables(part.variable);
    if (value === undefined) return undefined;
    key += typeof value === 'string' ? value : JSON.stringify(value);
  }
  return key;
}

/** `request.body…` of a text message (undefined for a binary one), parsed once when read. */
export function messageVariables(message: string | undefined): SelectionVariables {
  let body: unknown;
  let parsed = false;
  const bodyOnce = (): unknown => {
    if (!parsed) {
      parsed = true;
      try {
        body = message === undefined ? noValue : JSON.parse(message);
      } catch {
        body = noValue;
      }
    }
    return body;
  };
  return (variable) => {
    const value = valueOf(variable, bodyOnce);
    return value === noValue ? undefined : value;
  };
}

/** The route key the expression gives for a text message, or undefined when it cannot be evaluated. */
export function evaluateRouteSelection(expression: string, message: string): string | undefined {
  return evaluateSelection(expression, messageVariables(message));
}

/**
 * The keys to try for a message, in order: the evaluated key, then `$default`. A binary message
 * (`undefined`) is not JSON; a key with a `$` in front is reserved (`$connect`, `$disconnect`)
 * and names no message route.
 */
export function routeKeysFor(expression: string, message: string | undefined): string[] {
  const key = message === undefined ? undefined : evaluateRouteSelection(expression, message);
  return key === undefined || key.startsWith('$') ? ['$default'] : [key, '$default'];
}

const noValue = Symbol('no value');

type Part = string | { variable: string };

function parseExpression(expression: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let i = 0;
  while (i < expression.length) {
    const char = expression[i]!;
    if (char === '\\' && expression[i + 1] === '$') {
      text += '$';
      i += 2;
    } else if (char === '$' && expression[i + 1] === '{') {
      const end = expression.indexOf('}', i + 2);
      if (end === -1) {
        text += expression.slice(i);
        break;
      }
      parts.push(text, { variable: expression.slice(i + 2, end) });
      text = '';
      i = end + 1;
    } else if (char === '$') {
      const match = /^[A-Za-z0-9_.[\]'"-]+/.exec(expression.slice(i + 1));
      if (!match) {
        text += char;
        i += 1;
        continue;
      }
      parts.push(text, { variable: match[0] });
      text = '';
      i += 1 + match[0].length;
    } else {
      text += char;
      i += 1;
    }
  }
  parts.push(text);
  return parts.filter((part) => part !== '');
}

function valueOf(variable: string, body: () => unknown): unknown {
  if (variable === 'request.body') return body();
  if (!variable.startsWith('request.body.') && !variable.startsWith('request.body[')) return noValue;
  let value = body();
  for (const step of pathSteps(variable.slice('request.body'.length))) {
    if (value === noValue || value === null || typeof value !== 'object') return noValue;
    const next: unknown = (value as Record<string, unknown>)[step];
    if (next === undefined) return noValue;
    value = next;
  }
  return value;
}

/** `.a.b[0]['c']` → `a`, `b`, `0`, `c`. */
function pathSteps(path: string): string[] {
  const steps: string[] = [];
  for (const match of path.matchAll(/\.([^.[\]]+)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\]/g)) {
    steps.push(match[1] ?? match[2] ?? match[3] ?? match[4]!);
  }
  return steps;
}
