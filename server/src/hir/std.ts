import type { Ty } from './ty';

/**
 * Replaces generic parameters (`{kind:'param', name}`) in `ty` by the types in `map`
 * (parameter name → type). Parameters missing from `map` are left as they are. Pure; bounded by
 * the size of `ty`.
 */
export function substitute(ty: Ty, map: ReadonlyMap<string, Ty> | Record<string, Ty>): Ty {
  const get = (n: string): Ty | undefined =>
    map instanceof Map ? map.get(n) : Object.prototype.hasOwnProperty.call(map, n) ? (map as Record<string, Ty>)[n] : undefined;
  const go = (t: Ty): Ty => {
    switch (t.kind) {
      case 'param':
        return get(t.name) ?? t;
      case 'ref':
      case 'rawptr':
        return { ...t, inner: go(t.inner) };
      case 'tuple':
        return { kind: 'tuple', elems: t.elems.map(go) };
      case 'array':
        return { ...t, elem: go(t.elem) };
      case 'slice':
        return { kind: 'slice', elem: go(t.elem) };
      case 'adt':
        return { ...t, args: t.args.map(go) };
      case 'fn':
        return { ...t, params: t.params.map(go), ret: go(t.ret) };
      default:
        return t;
    }
  };
  return go(ty);
}
