/**
 * `google.script.run` as Apps Script carries values, both ways — the one place the local runtime
 * and the preview's bridge take it from.
 *
 * What is known, and from where (each rule below is tagged with one of these):
 * - documented — https://developers.google.com/apps-script/guides/html/reference/run and the
 *   HTML-service guide (guides/html/communication, "Parameters and return values"): "Legal
 *   parameters are JavaScript primitives like a Number, Boolean, String, or null, as well as
 *   JavaScript objects and arrays that are composed of primitives, objects, and arrays. […]
 *   Requests fail if you attempt to pass a Date, Function, DOM element besides a form, or other
 *   prohibited type, including prohibited types inside objects or arrays. Objects that create
 *   circular references will also fail, and undefined fields within arrays become null. Note that
 *   an object passed to the server becomes a copy of the original." The guide says the same
 *   types are the legal return values.
 * - reported — public reports of what the platform does:
 *   · client → server, a prohibited value throws at the call, in the page, before any request
 *     (the failure handler never runs): `Uncaught TypeError: Failed due to illegal value in
 *     property: func` for `{ func: () => … }` (a Zenn article on google.script.run's argument
 *     limits); `… in property: 0` for a Map passed as the first argument (a Q&A thread on Maps);
 *     `… in property: TanggalBinaan` for a Date in an object field (a comment in a public Apps
 *     Script web app). The property named is the key that holds the bad value — an argument's
 *     index, an object's key, an array's index — not a path.
 *   · circular references: "Failed due to circular reference." — the message text sits beside
 *     "Failed due to illegal value in property: " in Google's own client error list (a public copy
 *     of a gstatic Docs script).
 *   · server → client, a Date anywhere in the return value: the success handler receives `null`
 *     for the whole value, and nothing is thrown (enuchi/React-Google-Apps-Script#28: a server
 *     function returning `getValues()` of a sheet with dates resolved to `null`; the same Zenn
 *     article: returning `{ …, date: new Date() }` logs `null`).
 * - assumed — not found stated anywhere; chosen, and probed by the self-check on real Sheets:
 *   · an `undefined` object field arrives as `null` (Google names only arrays; JSON would drop the
 *     field). Null is the stricter of the two for the server: code that treats null as blank
 *     also handles an absent field, not the reverse. The product must accept both.
 *   · an `undefined` argument arrives as `null` (the arguments as an array; sidebar/server.ts
 *     already drops trailing ones for that reason); a function that returns nothing answers `null`.
 *   · NaN and ±Infinity travel as `null`, -0 as 0 (as JSON carries them).
 *   · any other prohibited value in a return value (a function, a Map, a circular reference) makes
 *     it `null` like a Date does.
 *   · objects that are neither arrays nor plain objects (Map, Set, RegExp, class instances, typed
 *     arrays, DOM elements) are "other prohibited types". A form element as the only parameter is
 *     legal in Apps Script; the local bridge carries none (the sidebar sends no forms) and says so.
 */

/**
 * The walker, as JavaScript source: the preview's bridge injects this very text into the page
 * (so the browser applies the same rules before sending), and Node evaluates it below.
 * `wire(value, key, fail)` returns a JSON-safe copy, or calls `fail(error)` at the first
 * prohibited value (which must throw).
 */
export const WIRE_SOURCE = `function wire(value, key, fail) {
  var stack = [];
  function plain(o) {
    var p = Object.getPrototypeOf(o);
    return p === null || (Object.getPrototypeOf(p) === null && Object.prototype.toString.call(o) === '[object Object]');
  }
  function walk(v, k) {
    if (v === undefined || v === null) return null;
    var t = typeof v;
    if (t === 'string' || t === 'boolean') return v;
    if (t === 'number') return isFinite(v) ? (v === 0 ? 0 : v) : null;
    if (t !== 'object') return fail(new TypeError('Failed due to illegal value in property: ' + k));
    if (typeof HTMLFormElement !== 'undefined' && v instanceof HTMLFormElement)
      return fail(new TypeError('The local preview does not carry form elements through google.script.run'));
    var isArray = Array.isArray(v);
    if (!isArray && !plain(v)) return fail(new TypeError('Failed due to illegal value in property: ' + k));
    if (stack.indexOf(v) >= 0) return fail(new TypeError('Failed due to circular reference.'));
    stack.push(v);
    var out;
    if (isArray) {
      out = [];
      for (var i = 0; i < v.length; i++) out.push(walk(v[i], String(i)));
    } else {
      out = {};
      var keys = Object.keys(v);
      // defineProperty: a key named __proto__ stays an own field, as JSON.parse made it.
      for (var j = 0; j < keys.length; j++)
        Object.defineProperty(out, keys[j], { value: walk(v[keys[j]], keys[j]), enumerable: true, writable: true, configurable: true });
    }
    stack.pop();
    return out;
  }
  return walk(value, key);
}`;

type Wire = (value: unknown, key: string, fail: (e: Error) => never) => unknown;
// One definition of the rules for the page and for Node: the same source text.
const wire = new Function(`return (${WIRE_SOURCE});`)() as Wire;

const raise = (e: Error): never => {
  throw e;
};

/**
 * Client → server: the arguments as the server receives them (JSON-safe copies), or the TypeError
 * the page throws at the call (documented that it fails; the texts reported).
 */
export function argsToServer(args: ArrayLike<unknown>): unknown[] {
  return Array.from(args, (a, i) => wire(a, String(i), raise));
}

/** Thrown inside `returnToClient`'s walk to stop at the first prohibited value. */
class Prohibited extends Error {}

/**
 * Server → client: the value the success handler receives — a JSON-safe copy, or `null` for the
 * whole value when anything in it is prohibited (a Date: reported; the others: assumed).
 */
export function returnToClient(value: unknown): unknown {
  try {
    return wire(value, '', () => {
      throw new Prohibited();
    });
  } catch (e) {
    if (e instanceof Prohibited) return null;
    throw e;
  }
}

/**
 * The browser half of the preview's bridge: `encodeArgs(arguments)` with the rules above,
 * throwing in the page like Apps Script's client does.
 */
export const BRIDGE_ENCODE = `var wire = ${WIRE_SOURCE};
function encodeArgs(args) {
  var out = [];
  for (var i = 0; i < args.length; i++) out.push(wire(args[i], String(i), function (e) { throw e; }));
  return out;
}`;
