/** Types of scripts/bundle-patches.mjs (plain JavaScript: scripts/build.mjs runs on Node without a compiler). */
export interface BundlePatch {
  name: string;
  /** A snippet as written, or a pattern whose groups `replace` may name (`$1`). */
  find: string | RegExp;
  replace: string;
}
export const BUNDLE_PATCHES: readonly BundlePatch[];
export function patchBundle(code: string, bundle: string, patches?: readonly BundlePatch[]): string;
