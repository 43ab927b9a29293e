/** Text as a cell can hold it: Sheets refuses more than 50,000 characters in one cell. */
export const MAX_CELL_CHARS = 50_000;

/** A text cut to fit one cell, with a marker saying how long it was. */
export function truncateCell(s: string): string {
  if (s.length <= MAX_CELL_CHARS) return s;
  const marker = ` … [cut: ${s.length.toLocaleString('en')} characters]`;
  return s.slice(0, MAX_CELL_CHARS - 1 - marker.length) + marker;
}

/**
 * A custom function's table with every text cell fitting a cell (a 60,000-character owner name
 * copied into the output would make Sheets show an error instead of the table).
 */
export function fitCells<T>(result: T): T {
  if (!Array.isArray(result)) return result;
  for (const row of result) {
    if (!Array.isArray(row)) continue;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v === 'string' && v.length > MAX_CELL_CHARS) row[c] = truncateCell(v);
    }
  }
  return result;
}
