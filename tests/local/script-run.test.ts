/**
 * google.script.run as Apps Script carries values (local/scriptRun.ts), through
 * LocalRuntime.callFromSidebar — the way tests call the sidebar's server API — and the bridge
 * script the preview puts into the page. Each case names its source and is tagged:
 *
 * documented — https://developers.google.com/apps-script/guides/html/reference/run: "Legal
 *   parameters are JavaScript primitives like a Number, Boolean, String, or null, as well as
 *   JavaScript objects and arrays that are composed of primitives, objects, and arrays. […]
 *   Requests fail if you attempt to pass a Date, Function, DOM element besides a form, or other
 *   prohibited type, including prohibited types inside objects or arrays. Objects that create
 *   circular references will also fail, and undefined fields within arrays become null. Note that
 *   an object passed to the server becomes a copy of the original."
 * reported — "Uncaught TypeError: Failed due to illegal value in property: func" for a function
 *   in an argument's field (a Zenn article on google.script.run's argument limits), "… property:
 *   0" for a Map as the first argument (a Q&A thread); a server function returning a Date, or
 *   getValues() of a sheet with dates, reaches the success handler as null
 *   (enuchi/React-Google-Apps-Script#28, the same Zenn article).
 * assumed — an undefined object field or argument arrives as null (see local/scriptRun.ts).
 */
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { argsToServer, BRIDGE_ENCODE, returnToClient } from '../../local/scriptRun';

let rt: LocalRuntime;

beforeAll(() => {
  rt = new LocalRuntime({ locale: 'en_US' });
  // Server functions of the test: what the server received, and values it returns.
  rt.run(`
    var probeCalls = 0;
    function probeEcho() { probeCalls++; return Array.prototype.slice.call(arguments); }
    function probeTypes(o, a) {
      return [o instanceof Object, Array.isArray(a) && a instanceof Array, Object.keys(o)];
    }
    function probeMutate(o) { o.n = 2; o.list.push('server'); return o; }
    function probeKept() { return globalThis.kept = globalThis.kept || { n: 1 }; }
    function probeDate() { return { ok: true, value: { fruit: 'banana' }, date: new Date(0) }; }
    function probeRows() { return [['Created', 'Company'], [new Date(0), 'Acme']]; }
    function probeNothing() {}
    function probeUndefined() { return { a: 1, b: undefined, list: [1, undefined, 3] }; }
    function probeFails() { throw new Error('the server says no'); }
  `);
});

const calls = () => rt.run<number>('probeCalls');

describe('google.script.run, client → server', () => {
  it('carries primitives, null, and objects and arrays of them (documented)', () => {
    const args = ['text', 42, -1.5, true, false, null, { a: [1, 'b', { c: null }] }, []];
    expect(rt.callFromSidebar('probeEcho', ...args)).toEqual(args);
  });

  it('gives the server a copy in its own realm: changes stay on the server (documented)', () => {
    const sent = { n: 1, list: ['client'] };
    const back = rt.callFromSidebar<{ n: number; list: string[] }>('probeMutate', sent);
    expect(sent).toEqual({ n: 1, list: ['client'] });
    expect(back).toEqual({ n: 2, list: ['client', 'server'] });
    // The server's objects are its own: instanceof works as in Apps Script's V8.
    expect(rt.callFromSidebar('probeTypes', { x: 1 }, [1])).toEqual([true, true, ['x']]);
    // And what the client receives is a copy too: changing it does not reach the server.
    const kept = rt.callFromSidebar<{ n: number }>('probeKept');
    kept.n = 99;
    expect(rt.callFromSidebar('probeKept')).toEqual({ n: 1 });
  });

  it('turns undefined in arrays into null (documented), and undefined fields and arguments into null (assumed)', () => {
    // biome-ignore lint/suspicious/noSparseArray: a hole is one of the undefined slots
    const holes = [1, , 3];
    expect(rt.callFromSidebar('probeEcho', [1, undefined, 3], holes)).toEqual([
      [1, null, 3],
      [1, null, 3],
    ]);
    expect(rt.callFromSidebar('probeEcho', { avgDealSize: undefined, n: 1 })).toEqual([
      { avgDealSize: null, n: 1 },
    ]);
    expect(rt.callFromSidebar('probeEcho', 'a', undefined, 'c')).toEqual(['a', null, 'c']);
  });

  it.each([
    ['a Date argument (documented; the text reported)', [new Date(0)], '0'],
    ['a Date in an object field', ['x', { when: new Date(0) }], 'when'],
    ['a Date in an array', [[1, new Date(0)]], '1'],
    ['a function in a field (reported: property: func)', [{ func: () => 1 }], 'func'],
    ['a Map (reported: property: 0)', [new Map([['a', 1]])], '0'],
    ['a Set', [{ s: new Set() }], 's'],
    ['a RegExp', [[/x/]], '0'],
    ['an instance of a class', [{ c: new (class Point {})() }], 'c'],
    ['a symbol', [{ k: Symbol('k') }], 'k'],
    ['a bigint', [BigInt(1)], '0'],
  ])('refuses %s with Apps Script’s TypeError, before the server runs', (_, args, where) => {
    const before = calls();
    let thrown: unknown;
    try {
      rt.callFromSidebar('probeEcho', ...args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toBe(`Failed due to illegal value in property: ${where}`);
    expect(calls()).toBe(before);
  });

  it('refuses a circular object (documented), but carries the same object twice', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    const before = calls();
    expect(() => rt.callFromSidebar('probeEcho', loop)).toThrow(
      new TypeError('Failed due to circular reference.'),
    );
    expect(calls()).toBe(before);
    const shared = { n: 1 };
    expect(rt.callFromSidebar('probeEcho', [shared, shared])).toEqual([[{ n: 1 }, { n: 1 }]]);
  });

  it('keeps a field named __proto__ an own field, as JSON.parse made it', () => {
    const sent = JSON.parse('{"__proto__": {"polluted": 1}, "n": 1}');
    const [got] = argsToServer([sent]) as [Record<string, unknown>];
    expect(Object.keys(got)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('google.script.run, server → client', () => {
  it('answers null when the value holds a Date anywhere, without an error (reported)', () => {
    expect(rt.callFromSidebar('probeDate')).toBeNull();
    expect(rt.callFromSidebar('probeRows')).toBeNull();
  });

  it('answers null for no value, and null for undefined slots and fields (arrays documented, fields assumed)', () => {
    expect(rt.callFromSidebar('probeNothing')).toBeNull();
    expect(rt.callFromSidebar('probeUndefined')).toEqual({ a: 1, b: null, list: [1, null, 3] });
  });

  it('a thrown error reaches the failure handler with its message', () => {
    expect(() => rt.callFromSidebar('probeFails')).toThrow('the server says no');
  });

  it('returnToClient alone: functions, Maps and circular values answer null too (assumed)', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    for (const v of [{ f: () => 1 }, [new Map()], loop]) expect(returnToClient(v)).toBeNull();
    expect(returnToClient({ n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0 })).toEqual({
      n: null,
      i: null,
      z: 0,
    });
  });
});

describe('the bridge script the preview puts into the page', () => {
  it('applies the same rules in a page of its own (no Node globals)', () => {
    const page = vm.createContext({});
    const encode = vm.runInContext(`${BRIDGE_ENCODE}; encodeArgs`, page) as (
      a: unknown[],
    ) => unknown[];
    const sent = vm.runInContext(
      `[{ avgDealSize: undefined, list: [1, undefined] }, undefined, 'x']`,
      page,
    ) as unknown[];
    expect(JSON.parse(JSON.stringify(encode(sent)))).toEqual([
      { avgDealSize: null, list: [1, null] },
      null,
      'x',
    ]);
    const date = vm.runInContext('[{ from: new Date(0) }]', page) as unknown[];
    expect(() => encode(date)).toThrow('Failed due to illegal value in property: from');
    expect(
      vm.runInContext(
        '(function () { try { encodeArgs([new Date()]); } catch (e) { return e instanceof TypeError; } })()',
        page,
      ),
    ).toBe(true);
  });
});
