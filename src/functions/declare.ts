/**
 * How a custom function is declared: its name, its parameters in order and what it returns, next
 * to its `…Cell` implementation (HyperFormula's `implementedFunctions`, as plain data). The entry
 * file (src/index.ts) still spells each one out as a JSDoc'd top-level function — Sheets reads
 * nothing else — and tests/functions/declarations.test.ts checks it, the README and the menu's help against
 * the declarations (src/functions/index.ts lists them).
 */

/** One parameter, as its JSDoc `@param {type} name description` line says it. */
export interface FunctionParameter {
  readonly name: string;
  /** The JSDoc type Sheets shows (`Date[][]` a range, `string` a value). */
  readonly type: string;
  /** May be left out (a `?` parameter in src/index.ts). Only trailing parameters are. */
  readonly optional?: boolean;
  /** The rest of the `@param` line. */
  readonly description: string;
}

/** A custom function: `cell` takes the arguments in `parameters` order (Sheets passes them so). */
export interface FunctionDeclaration<
  P extends readonly FunctionParameter[] = readonly FunctionParameter[],
  N extends string = string,
> {
  readonly name: N;
  readonly parameters: P;
  /** The `@return` line. */
  readonly returns: string;
  /** Not a report function (the self-check's probe): left out of the menu's help. */
  readonly internal?: boolean;
  readonly cell: (...args: CellArguments<P>) => unknown;
}

/** The implementation's arguments: one per parameter, the optional ones optional. */
export type CellArguments<P extends readonly FunctionParameter[]> = P extends readonly [
  infer H,
  ...infer R extends readonly FunctionParameter[],
]
  ? H extends { optional: true }
    ? [arg?: unknown, ...CellArguments<R>]
    : [arg: unknown, ...CellArguments<R>]
  : [];

/** The arguments of a call by parameter name (what `cell` received, in declared order). */
export function argumentsByName<const P extends readonly FunctionParameter[]>(
  parameters: P,
  args: readonly unknown[],
): { [K in P[number]['name']]: unknown } {
  const out: Record<string, unknown> = {};
  parameters.forEach((p, i) => {
    out[p.name] = args[i];
  });
  return out as { [K in P[number]['name']]: unknown };
}

/** Declares a custom function; the parameter names stay literal types (the formula builder's keys). */
export function defineFunction<
  const P extends readonly FunctionParameter[],
  const N extends string,
>(declaration: FunctionDeclaration<P, N>): FunctionDeclaration<P, N> {
  return declaration;
}

/**
 * The arguments of a formula, by parameter name: each is formula text (a range, a cell, a quoted
 * literal). The required ones must be given; an optional one may be left out or ''.
 */
export type FormulaArguments<P extends readonly FunctionParameter[]> = {
  [K in P[number] as K extends { optional: true } ? never : K['name']]: string;
} & {
  [K in P[number] as K extends { optional: true } ? K['name'] : never]?: string;
};

/**
 * `=NAME(a, b, …)` with the arguments in the declared order: an omitted one in the middle is
 * written empty (`a, , c`: Sheets passes it as a blank), the omitted ones at the end are dropped.
 */
export function formulaOf<P extends readonly FunctionParameter[]>(
  declaration: FunctionDeclaration<P>,
  args: FormulaArguments<P>,
): string {
  const given = args as Record<string, string | undefined>;
  const known = new Set(declaration.parameters.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new Error(`${declaration.name} has no parameter ${name}`);
  }
  const texts = declaration.parameters.map((p) => given[p.name] ?? '');
  let n = texts.length;
  while (n > 1 && texts[n - 1] === '') n--;
  return `=${declaration.name}(${texts.slice(0, n).join(', ')})`;
}
