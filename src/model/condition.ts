// The policy condition language (SPEC X2): a hand-written tokenizer and recursive-descent parser. It
// lives in the model because a service's policies are validated when its configuration is parsed.
//   condition  := or
//   or         := and ("or" and)*
//   and        := unary ("and" unary)*
//   unary      := "not" unary | "(" or ")" | comparison
//   comparison := name (">" | ">=" | "<" | "<=" | "==" | "!=") (number [unit] | name)
// Units: % and ms scale by 1, s by 1000 (latencies are in ms), min by 1 (forecasts are in minutes).
// Length and nesting are bounded: a condition comes from configuration or the API, and an unbounded
// one would overflow the parser's (and the evaluator's) stack instead of failing validation.

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | {
      kind: 'compare';
      subject: string;
      operator: ComparisonOperator;
      value: number | string;
      /** 1-based column of the subject, for evaluation-time messages. */
      at: number;
    };

/** A condition that does not parse; `position` is the 1-based column of the problem. */
export class ConditionSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`at ${position}: ${reason}`);
    this.name = 'ConditionSyntaxError';
  }
}

/** Subjects compared with names rather than numbers. */
export const nameValuedSubjects: ReadonlySet<string> = new Set(['diagnosis']);

type Token =
  | { type: 'number'; value: number; at: number; text: string }
  | { type: 'name'; value: string; at: number; text: string }
  | { type: 'operator'; value: ComparisonOperator; at: number; text: string }
  | { type: 'paren'; value: '(' | ')'; at: number; text: string }
  | { type: 'end'; at: number; text: string };

const unitScale: Record<string, number> = { '%': 1, ms: 1, s: 1000, min: 1 };

/** Longer than any sensible policy (the defaults are under 80), short enough to parse at once. */
export const MAX_CONDITION_LENGTH = 2000;
/** Parentheses and `not` nest at most this deep; real policies use two or three levels. */
export const MAX_CONDITION_DEPTH = 32;

export function tokenize(text: string): Token[] {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ConditionSyntaxError(
      MAX_CONDITION_LENGTH + 1,
      `condition is longer than ${MAX_CONDITION_LENGTH} characters`,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const at = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: 'paren', value: ch, at, text: ch });
      i++;
    } else if ('<>=!'.includes(ch)) {
      const two = text.slice(i, i + 2);
      if (two === '>=' || two === '<=' || two === '==' || two === '!=') {
        tokens.push({ type: 'operator', value: two, at, text: two });
        i += 2;
      } else if (ch === '>' || ch === '<') {
        tokens.push({ type: 'operator', value: ch, at, text: ch });
        i++;
      } else {
        throw new ConditionSyntaxError(at, `'${ch}' is not an operator; use == or !=`);
      }
    } else if (/[0-9.]/.test(ch) || (ch === '-' && /[0-9.]/.test(text[i + 1] ?? ''))) {
      const match = /^-?(\d+(\.\d*)?|\.\d+)(%|ms|min|s)?(?![A-Za-z0-9_])/.exec(text.slice(i));
      if (!match) {
        throw new ConditionSyntaxError(at, `malformed number '${text.slice(i).split(/\s/)[0]}'`);
      }
      const unit = match[3];
      const value = Number(match[1]) * (unit ? unitScale[unit]! : 1) * (ch === '-' ? -1 : 1);
      if (!Number.isFinite(value)) throw new ConditionSyntaxError(at, 'number out of range');
      tokens.push({ type: 'number', value, at, text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      tokens.push({ type: 'name', value: match[0], at, text: match[0] });
      i += match[0].length;
    } else {
      throw new ConditionSyntaxError(at, `unexpected character '${ch}'`);
    }
  }
  tokens.push({ type: 'end', at: text.length + 1, text: 'end of condition' });
  return tokens;
}

export interface ParseOptions {
  /** When given, any other subject is an error: catches typos when a policy is saved. */
  knownSubjects?: ReadonlySet<string>;
}

export function parseCondition(text: string, options: ParseOptions = {}): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isKeyword = (t: Token, word: string) => t.type === 'name' && t.value.toLowerCase() === word;

  function parseOr(): Condition {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): Condition {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  }

  function parseUnary(): Condition {
    const token = peek();
    if (isKeyword(token, 'not')) {
      next();
      return nested(token, () => ({ kind: 'not', operand: parseUnary() }));
    }
    if (token.type === 'paren' && token.value === '(') {
      next();
      const inner = nested(token, parseOr);
      const close = next();
      if (close.type !== 'paren' || close.value !== ')') {
        throw new ConditionSyntaxError(close.at, `expected ')' to close '(' at ${token.at}`);
      }
      return inner;
    }
    return parseComparison();
  }

  function nested(opening: Token, parse: () => Condition): Condition {
    if (++depth > MAX_CONDITION_DEPTH) {
      throw new ConditionSyntaxError(
        opening.at,
        `nested deeper than ${MAX_CONDITION_DEPTH} levels`,
      );
    }
    const inner = parse();
    depth--;
    return inner;
  }

  function parseComparison(): Condition {
    const subject = next();
    if (subject.type !== 'name' || ['and', 'or', 'not'].includes(subject.value.toLowerCase())) {
      throw new ConditionSyntaxError(subject.at, `expected a metric name, found '${subject.text}'`);
    }
    if (options.knownSubjects && !options.knownSubjects.has(subject.value)) {
      throw new ConditionSyntaxError(subject.at, `unknown metric '${subject.value}'`);
    }
    const operator = next();
    if (operator.type !== 'operator') {
      throw new ConditionSyntaxError(
        operator.at,
        `expected a comparison (> >= < <= == !=) after '${subject.value}', found '${operator.text}'`,
      );
    }
    const value = next();
    if (nameValuedSubjects.has(subject.value)) {
      if (operator.value !== '==' && operator.value !== '!=') {
        throw new ConditionSyntaxError(operator.at, `${subject.value} compares with == or != only`);
      }
      if (value.type !== 'name') {
        throw new ConditionSyntaxError(
          value.at,
          `expected a ${subject.value} name after '${operator.value}', found '${value.text}'`,
        );
      }
    } else if (value.type !== 'number') {
      throw new ConditionSyntaxError(
        value.at,
        `expected a number after '${operator.value}', found '${value.text}'`,
      );
    }
    return {
      kind: 'compare',
      subject: subject.value,
      operator: operator.value,
      value: value.value as number | string,
      at: subject.at,
    };
  }

  const condition = parseOr();
  const rest = peek();
  if (rest.type !== 'end') {
    throw new ConditionSyntaxError(
      rest.at,
      `expected 'and', 'or' or the end, found '${rest.text}'`,
    );
  }
  return condition;
}
