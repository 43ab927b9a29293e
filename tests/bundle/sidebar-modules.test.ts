/**
 * The pages' source (sidebar/): no import cycle among its files, none over 700 lines, and no
 * server code pulled in — from src/addon and src/functions only types are imported (the pages
 * reach the server through google.script.run alone, sidebar/server.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SIDEBAR = join(ROOT, 'sidebar');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Each file's imports: resolved path, and whether only types come from it. */
function importsOf(path: string): { to: string; typeOnly: boolean }[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  return file.statements.filter(ts.isImportDeclaration).map((d) => {
    const spec = (d.moduleSpecifier as ts.StringLiteral).text;
    const clause = d.importClause;
    const named = clause?.namedBindings;
    const typeOnly =
      !!clause &&
      (clause.isTypeOnly ||
        (!clause.name &&
          !!named &&
          ts.isNamedImports(named) &&
          named.elements.every((e) => e.isTypeOnly)));
    return { to: spec.startsWith('.') ? `${resolve(dirname(path), spec)}.ts` : spec, typeOnly };
  });
}

describe('sidebar/ modules', () => {
  const all = files(SIDEBAR);

  it('have no import cycle', () => {
    const graph = new Map(
      all.map((f) => [
        f,
        importsOf(f)
          .filter((i) => all.includes(i.to))
          .map((i) => i.to),
      ]),
    );
    const done = new Set<string>();
    const visit = (f: string, path: string[]) => {
      const at = path.indexOf(f);
      if (at >= 0) {
        const cycle = [...path.slice(at), f].map((p) => relative(ROOT, p));
        expect.fail(`import cycle: ${cycle.join(' → ')}`);
      }
      if (done.has(f)) return;
      for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
      done.add(f);
    };
    for (const f of all) visit(f, []);
    expect(done.size).toBe(all.length);
  });

  it('are at most 700 lines each', () => {
    for (const f of all)
      expect(readFileSync(f, 'utf8').split('\n').length, relative(ROOT, f)).toBeLessThanOrEqual(
        700,
      );
  });

  it('import only types from the server side (src/addon, src/functions)', () => {
    for (const f of all)
      for (const i of importsOf(f)) {
        const rel = relative(ROOT, i.to);
        if (rel.startsWith('src/addon') || rel.startsWith('src/functions'))
          expect(i.typeOnly, `${relative(ROOT, f)} imports ${rel}`).toBe(true);
      }
  });
});
