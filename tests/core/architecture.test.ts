/**
 * The shape of the code (issue 22): no import cycle in src/ or sidebar/, and no source file there
 * over 700 lines. The import graph is read with the TypeScript compiler's `preProcessFile`, which
 * lists every import, export-from and dynamic import of a file (type-only ones included: a cycle
 * of types is still two modules that cannot be understood apart).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const DIRS = ['src', 'sidebar'];
const MAX_LINES = 700;

/** Every .ts file under the directories, as a path relative to the repository root. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(path.split('\\').join('/'));
    }
  };
  for (const d of DIRS) walk(d);
  return out.sort();
}

/** A relative import resolved to a .ts file of the repository; undefined for packages. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(ROOT, dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile())
      return relative(ROOT, candidate).split('\\').join('/');
  }
  return undefined;
}

/** The import graph: file → the repository files it imports. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => resolveImport(file, f.fileName))
      .filter((x): x is string => x !== undefined);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** The strongly connected components with a cycle (Tarjan): each is one or more cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** One cycle through a component, as "a → b → a", for the failure message. */
function oneCycle(graph: Map<string, string[]>, component: string[]): string {
  const inside = new Set(component);
  const start = component[0];
  const path = [start];
  const seen = new Set([start]);
  const walk = (v: string): boolean => {
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) return path.push(w) > 0;
      if (seen.has(w)) continue;
      seen.add(w);
      path.push(w);
      if (walk(w)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return path.join(' → ');
}

describe('architecture', () => {
  const files = sourceFiles();
  const graph = importGraph(files);

  it('reads the graph it claims to read', () => {
    // A guard on the guard: the resolver finds the imports (the registry imports every sheet).
    expect(files).toContain('src/core/sheets/index.ts');
    expect(graph.get('src/core/sheets/index.ts')).toContain('src/core/sheets/kpiTree.ts');
    expect(graph.get('sidebar/state.ts')).toContain('src/core/settings.ts');
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b']]);
  });

  it('has no import cycle in src/ or sidebar/', () => {
    const found = cycles(graph);
    expect(found.map((c) => oneCycle(graph, c))).toEqual([]);
  });

  it('keeps the shared pieces below the sheets', () => {
    // The domain (src/core/*.ts) and the sheets' kit import no sheet.
    const kit = ['style', 'formulas', 'sheet', 'treeText'].map((f) => `src/core/sheets/${f}.ts`);
    const below = (f: string) => /^src\/core\/[^/]+\.ts$/.test(f) || kit.includes(f);
    const upward = [...graph]
      .filter(([from]) => below(from))
      .flatMap(([from, to]) =>
        to
          .filter((x) => x.startsWith('src/core/sheets/') && !kit.includes(x))
          .map((x) => `${from} → ${x}`),
      );
    expect(upward).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
