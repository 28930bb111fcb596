// Edits ncc's bundles before they are written to dist/: a few exact snippets of dependencies' code,
// each of which must occur exactly as many times as expected, so an upgrade that rewrites one fails
// the build by name instead of leaving the bundle quietly unpatched.

/**
 * The patches, each with its reason. First, the `yaml` package's debug switches. Its parser reads
 * `process.env.LOG_TOKENS` once for every token it reads (and its composer `process.env.LOG_STREAM`
 * once per document); when set, each prints to standard output every token, or every parsed
 * document, of every file it reads. For us that is wrong twice over: a stray variable in a workflow
 * would print the content of every HelmRelease (values that may hold credentials) to the job log
 * past the log's redaction, and a `process.env` read is a call into the runtime (about 0.3 µs
 * here), which on a run's 240,000 tokens a parse, parsed twice (the scan and the read-back of every
 * edit), is 5–10% of the run's CPU. The switches are off in the bundles, whatever the environment.
 */
export const BUNDLE_PATCHES = [
  {
    name: "yaml's LOG_TOKENS (src/parse/parser.ts)",
    find: 'if (node_process.env.LOG_TOKENS)',
    replace: 'if (false /* LOG_TOKENS: off in the bundle, scripts/bundle-patches.mjs */)',
  },
  {
    name: "yaml's LOG_STREAM (src/compose/composer.ts)",
    find: 'if (node_process.env.LOG_STREAM)',
    replace: 'if (false /* LOG_STREAM: off in the bundle, scripts/bundle-patches.mjs */)',
  },
  {
    // undici's client loads its HTTP/2 client as the bundle starts, and node:http2 and node:tls
    // with it, although its connections never offer HTTP/2 (`allowH2` is off). That was 6 ms of
    // the CLI's start (`--version` 79 → 73 ms, issue 17). The module is loaded at the first HTTP/2
    // connection instead, which never comes; node:tls is loaded by undici's connector at the first
    // HTTPS connection, and never for a registry reached over plain HTTP. The number is ncc's id of
    // undici's lib/dispatcher/client-h2.js, read rather than written here: ncc derives its ids from
    // the modules' resolved paths, so a checkout whose node_modules is a link elsewhere numbers it
    // differently (an upgrade that rewrites the line still fails the build here).
    name: "undici's HTTP/2 client (lib/dispatcher/client.js)",
    find: /const connectH2 = __nccwpck_require__\((\d+)\)/,
    replace:
      'const connectH2 = (...args) => __nccwpck_require__($1)(...args) /* loaded at its first use: scripts/bundle-patches.mjs */',
  },
  {
    // yaml marks every node it makes with its kind, a symbol property defined on the node itself
    // (`Object.defineProperty` on each instance: a call into the runtime that no optimised code
    // inlines). A run makes about 100,000 nodes (each HelmRelease parsed by the scan and again by
    // the proof of its edit), and with the same for each pair (below) that was 55–90 ms of a warm
    // run's main thread on this project's machine. The kind is the same for every node of a class,
    // so it is defined once, on the class of the first node made with it, which every later node
    // inherits; a node of a class already marked with another kind still gets its own (no class
    // of the package does that). Read through `node[NODE_TYPE]` (the package's `isScalar`,
    // `isMap`, …) and `clone()` (which keeps the prototype) it is the same. Issue 17, round 34: a
    // warm run's CPU 50–120 ms less and its wall 14–64 ms less (paired medians of 30 runs, thrice).
    name: "yaml's node kind (src/nodes/Node.ts)",
    find: 'Object.defineProperty(this, identity.NODE_TYPE, { value: type });',
    replace: kindOnClass('type'),
  },
  {
    // The same for a pair of a map (its key and value).
    name: "yaml's pair kind (src/nodes/Pair.ts)",
    find: 'Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });',
    replace: kindOnClass('identity.PAIR'),
  },
];

/**
 * A constructor's statement that gives `this` the node kind `kind` (an expression of the package's
 * code) through its class: on the class's prototype when the class has none of its own yet, on
 * the node itself when its class already has another, and not at all when it inherits `kind`.
 */
function kindOnClass(kind) {
  return (
    `if (this[identity.NODE_TYPE] !== ${kind}) { ` +
    'const proto = Object.getPrototypeOf(this); ' +
    'const target = Object.prototype.hasOwnProperty.call(proto, identity.NODE_TYPE) ? this : proto; ' +
    `Object.defineProperty(target, identity.NODE_TYPE, { value: ${kind} }); ` +
    '} /* on the class: scripts/bundle-patches.mjs */'
  );
}

/**
 * Applies `patches` to a bundle's code; each `find` must occur exactly once. A string is found and
 * replaced as written; a regular expression's `replace` may name its groups (`$1`). Throws naming
 * the bundle and the patch when one does not occur exactly once.
 */
export function patchBundle(code, bundle, patches = BUNDLE_PATCHES) {
  let patched = code;
  for (const { name, find, replace } of patches) {
    const found = typeof find === 'string' ? patched.split(find).length - 1 : countMatches(patched, find);
    if (found !== 1) {
      const shown = typeof find === 'string' ? `"${find}"` : String(find);
      throw new Error(
        `${bundle}: ${name}: expected ${shown} once, found it ${found} times ` +
          '(a dependency changed: update scripts/bundle-patches.mjs)',
      );
    }
    patched = typeof find === 'string' ? patched.split(find).join(replace) : patched.replace(find, replace);
  }
  return patched;
}

/** How many times `pattern` matches in `code` (as if global, whatever its flags). */
function countMatches(code, pattern) {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  return [...code.matchAll(new RegExp(pattern.source, flags))].length;
}
