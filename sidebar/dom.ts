/** Building the page: elements whose strings are text nodes, never HTML. */

/** Builds an element; strings become text nodes, never HTML. */
export function el(
  tag: string,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children)
    if (c !== null && c !== undefined)
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A select whose title shows the chosen option in full (long headers are cut at 300 px). */
export function select(id: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el('select', { id }) as HTMLSelectElement;
  for (const [v, label] of options) {
    const o = el('option', { value: v }, label) as HTMLOptionElement;
    if (v === value) o.selected = true;
    s.append(o);
  }
  const title = () => {
    s.title = s.selectedOptions[0]?.textContent ?? '';
  };
  title();
  s.addEventListener('change', title);
  return s;
}

export function input(id: string, value: string, type = 'text'): HTMLInputElement {
  const i = el('input', { id, type }) as HTMLInputElement;
  i.value = value;
  return i;
}

/** An input whose label is not beside it (a grid of inputs): named for screen readers. */
export function labelled(e: HTMLInputElement, label: string): HTMLInputElement {
  e.setAttribute('aria-label', label);
  e.title = label;
  return e;
}

/** A fraction shown as a percentage, without float noise (0.3 → "30", not "30.000000000000004"). */
export const percent = (v: number) => String(Number((v * 100).toPrecision(12)));

/** A list of server-written lines (notes, warnings, checks); empty lists are not shown. */
export function lines(id: string, cls: string, items: readonly string[]): HTMLElement {
  const ul = el('ul', { id, class: cls }, ...items.map((x) => el('li', {}, x)));
  ul.hidden = items.length === 0;
  return ul;
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
