#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 861:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  KC: () => (/* binding */ runCliBundle)
});

// UNUSED EXPORTS: COMPILE_CACHE_BOUNDS, compileCacheFolder, entryPath, isPrivateFolder, openCompileCache, pruneCompileCache, readEntry, shouldWriteEntry, writeEntry

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(136);
;// CONCATENATED MODULE: external "node:vm"
const external_node_vm_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/cli-cache-folder.ts
/**
 * The folder the CLI keeps its caches in: `$XDG_CACHE_HOME/helmrelease-image-updater`, or
 * `~/.cache/helmrelease-image-updater` when that is not set. It holds the digest cache
 * (`digests.json`, cli-args.ts) and Node's compile cache of the CLI (cli-compile-cache.ts).
 */


function cliCacheFolder(env, home = (0,external_node_os_namespaceObject.homedir)()) {
    return (0,external_node_path_.join)(env.XDG_CACHE_HOME || (0,external_node_path_.join)(home, '.cache'), 'helmrelease-image-updater');
}

;// CONCATENATED MODULE: ./src/registry/make-directories.ts
/**
 * `mkdir -p` without Node's recursive mkdir, which on Node 20 and 24 never settles (it spins at
 * 100% CPU) when `mkdir` answers ENOENT under a parent that exists, as anywhere under `/proc`
 * does: a `--cache-file` or `--stats-file` there hung the CLI for good.
 */


/**
 * Creates `directory` and its missing parents: walks up to the first folder that exists, then
 * creates each missing level with a plain `mkdir`, so every step ends (bounded by the path's
 * depth) and a failure is an error naming the level that could not be made.
 */
async function makeDirectories(directory) {
    const missing = [];
    for (let at = (0,external_node_path_.resolve)(directory);; at = (0,external_node_path_.dirname)(at)) {
        const info = await (0,promises_namespaceObject.stat)(at).catch((e) => {
            // Missing, or under a file (found as "not a folder" further up).
            if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
                return undefined;
            throw e;
        });
        if (info) {
            if (!info.isDirectory())
                throw new Error(`${at} is not a folder`);
            break;
        }
        // The root is always there; this only guards the loop.
        if ((0,external_node_path_.dirname)(at) === at)
            break;
        missing.push(at);
    }
    for (const level of missing.reverse()) {
        await (0,promises_namespaceObject.mkdir)(level).catch((e) => {
            // Made meanwhile by another process: fine, as with mkdir -p.
            if (e.code === 'EEXIST')
                return;
            throw new Error(`the folder ${level} could not be created (${e.code ?? e.message})`);
        });
    }
}

;// CONCATENATED MODULE: ./src/cli-compile-cache.ts
/**
 * The CLI's compile cache (issue 17): V8's compiled code of the CLI's bundle, kept on disk after a
 * run, so that later runs neither compile the bundle's 2 MB nor, as they go, the thousand or so
 * functions a run calls (V8 compiles a function when it is first called: 30-70 ms of compiling a
 * run, logged, much of it in the first file's parse, before the first registry request leaves;
 * about 40 ms less CPU a run with this cache, docs/performance.md round 19). Node's own
 * compile cache (`module.enableCompileCache`) keeps only what V8 compiled before the module ran,
 * so dist/cli.js compiles the bundle itself with node:vm (scripts/function-script.mjs makes it a
 * script) and keeps V8's code cache as it stands once a run has planned. The cache holds compiled
 * code only, never anything a run reads.
 *
 * It is kept beside the digest cache, in a folder of the user's own, not under the machine's
 * shared temporary folder: compiled code read from a folder someone else can write to is code they
 * chose, run with the user's registry credentials at hand (babel/babel#1093). So the cache is used
 * only in a folder the user owns and no one else can write to; anywhere else the CLI compiles as it
 * would without one. An entry is named by a checksum of the bundle's text and holds one of its
 * own, and V8 refuses code of another V8, another set of V8 flags or another source. Off with
 * `--no-cache` or `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch). The folder is kept within
 * {@link COMPILE_CACHE_BOUNDS}. The Action keeps none: a hosted runner starts each job on an empty
 * disk, where a cache would only cost its writing.
 */









/**
 * What the folder keeps: a folder per Node version and architecture, each holding an
 * entry per bundle (a CLI run from many checkouts, or after upgrades), the ones written last; and
 * the largest entry it reads (the bundle's is about 1.5 MB).
 */
const COMPILE_CACHE_BOUNDS = { versions: 3, entries: 8, entryBytes: 64 * 1024 * 1024 };
/** zlib's CRC-32 (Node 20.15 and 22.2 on): without it, no cache. */
const crc32 = external_node_zlib_namespaceObject.crc32;
/** The folder earlier versions kept Node's own compile cache in, beside this one: removed. */
const LEGACY_FOLDER = 'node-compile-cache';
/** Where the CLI keeps its compile cache, or undefined when it keeps none (the module comment). */
function compileCacheFolder(argv, env) {
    if (env.NODE_DISABLE_COMPILE_CACHE)
        return undefined;
    // The flag as cli-args.ts reads it, which takes `--no-cache=...` as `--no-cache`.
    if (argv.some((arg) => arg === '--no-cache' || arg.startsWith('--no-cache=')))
        return undefined;
    return (0,external_node_path_.join)(cliCacheFolder(env), 'compile-cache');
}
/**
 * Whether compiled code may be read from a folder: one the user owns and that neither its group nor
 * others can write to. Without a user id (Windows) a folder under the user's profile is taken as theirs.
 */
function isPrivateFolder(info, uid) {
    if (!info.isDirectory())
        return false;
    if (uid === undefined)
        return true;
    return info.uid === uid && (info.mode & 0o022) === 0;
}
/**
 * Keeps the compile cache within {@link COMPILE_CACHE_BOUNDS}: the versions' folders, then each
 * one's entries, written last are kept (an entry that is only read keeps its time, so one in use
 * may go; it is written again by its next run). Only what the cache writes there is looked at:
 * folders, and files in them; a link is neither followed nor removed. A few calls when within the
 * bounds.
 */
function pruneCompileCache(folder, bounds = COMPILE_CACHE_BOUNDS) {
    const newest = (at, kind, keep) => {
        const paths = (0,external_node_fs_namespaceObject.readdirSync)(at, { withFileTypes: true })
            .filter(kind)
            .map((entry) => (0,external_node_path_.join)(at, entry.name));
        if (paths.length <= keep)
            return paths;
        const written = paths
            .map((path) => ({ path, time: (0,external_node_fs_namespaceObject.statSync)(path).mtimeMs }))
            .sort((a, b) => b.time - a.time)
            .map(({ path }) => path);
        for (const path of written.slice(keep))
            (0,external_node_fs_namespaceObject.rmSync)(path, { recursive: true, force: true });
        return written.slice(0, keep);
    };
    for (const version of newest(folder, (entry) => entry.isDirectory(), bounds.versions))
        newest(version, (entry) => entry.isFile(), bounds.entries);
}
/**
 * The compile cache's folder for this process's Node, made private to the user, within its
 * bounds; undefined when the cache stays off (off by a switch, or no private folder can be had).
 * Never throws: a cache that cannot be kept costs only the compiling it would have saved.
 */
async function openCompileCache(argv, env, uid = process.getuid?.()) {
    const folder = compileCacheFolder(argv, env);
    if (folder === undefined || crc32 === undefined)
        return undefined;
    try {
        let info = (0,external_node_fs_namespaceObject.statSync)(folder, { throwIfNoEntry: false });
        if (info === undefined) {
            // Node's own recursive mkdir can spin for good under /proc (make-directories.ts): the
            // folder is made here, one level at a time.
            await makeDirectories((0,external_node_path_.dirname)(folder));
            await makePrivateFolder(folder);
            info = (0,external_node_fs_namespaceObject.statSync)(folder);
            (0,external_node_fs_namespaceObject.rmSync)((0,external_node_path_.join)((0,external_node_path_.dirname)(folder), LEGACY_FOLDER), { recursive: true, force: true });
        }
        if (!isPrivateFolder(info, uid))
            return undefined;
        try {
            pruneCompileCache(folder);
        }
        catch {
            // Kept within its bounds on a later run; the cache still works meanwhile.
        }
        const version = (0,external_node_path_.join)(folder, versionFolderName());
        await makePrivateFolder(version);
        return isPrivateFolder((0,external_node_fs_namespaceObject.statSync)(version), uid) ? version : undefined;
    }
    catch {
        return undefined;
    }
}
async function makePrivateFolder(path) {
    await (0,promises_namespaceObject.mkdir)(path, { mode: 0o700 }).catch((e) => {
        if (e.code !== 'EEXIST')
            throw e;
    });
}
/**
 * The folder of the code this Node makes and takes: its version and architecture. Not V8's own
 * tag of its version and flags (`v8.cachedDataVersionTag()`): loading node:v8 for it cost the
 * start 1.7 ms, and V8 refuses code made under other flags anyway (the entry is then written again).
 */
function versionFolderName() {
    return `${process.version}-${process.arch}`;
}
/** The entry of a bundle's text in a version's folder: named by the text's checksum. */
function entryPath(versionFolder, bundle) {
    return (0,external_node_path_.join)(versionFolder, `${crc32(bundle).toString(16).padStart(8, '0')}.v8`);
}
/**
 * An entry's layout: 8 bytes of {@link MAGIC}, a byte of flags ({@link AFTER_A_PLAN}), three
 * spare, the checksum of V8's data and its length (both 32 bits, little end first), then V8's data.
 */
const MAGIC = Buffer.from('HRIUv8c1');
const HEADER_BYTES = 20;
/** The entry was written after a run that planned, so it holds what a plan compiles. */
const AFTER_A_PLAN = 1;
/** Reads an entry; undefined when there is none or it is not whole (a write cut short, a bad disk). */
function readEntry(path, maxBytes = COMPILE_CACHE_BOUNDS.entryBytes) {
    try {
        const info = (0,external_node_fs_namespaceObject.statSync)(path, { throwIfNoEntry: false });
        if (!info?.isFile() || info.size > maxBytes || info.size < HEADER_BYTES)
            return undefined;
        const bytes = (0,external_node_fs_namespaceObject.readFileSync)(path);
        if (!bytes.subarray(0, MAGIC.length).equals(MAGIC))
            return undefined;
        const data = bytes.subarray(HEADER_BYTES);
        if (bytes.readUInt32LE(16) !== data.length || bytes.readUInt32LE(12) !== crc32(data))
            return undefined;
        return { data, afterAPlan: (bytes[8] & AFTER_A_PLAN) !== 0 };
    }
    catch {
        return undefined;
    }
}
/**
 * Writes an entry whole or not at all: into a file of the process's own, then renamed over the
 * entry, so a run that reads it meanwhile finds the old entry or the new one. Never throws.
 */
function writeEntry(path, data, afterAPlan) {
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header);
    header[8] = afterAPlan ? AFTER_A_PLAN : 0;
    header.writeUInt32LE(crc32(data), 12);
    header.writeUInt32LE(data.length, 16);
    const partial = `${path}.${process.pid}.partial`;
    try {
        (0,external_node_fs_namespaceObject.writeFileSync)(partial, Buffer.concat([header, data]), { mode: 0o600, flag: 'wx' });
        (0,external_node_fs_namespaceObject.renameSync)(partial, path);
    }
    catch {
        (0,external_node_fs_namespaceObject.rmSync)(partial, { force: true });
    }
}
/**
 * Whether a run writes its entry: when there was none, when V8 refused it, or when a run that did
 * not plan (`--version`, `--help`, `explain`) wrote it and this one planned, compiling the rest.
 */
function shouldWriteEntry(entry, refused, planned) {
    return entry === undefined || refused || (planned && !entry.afterAPlan);
}
/**
 * Runs the CLI's bundle at `bundlePath` (the whole run), compiled with the entry of the compile
 * cache when there is one, and writes the entry afterwards when {@link shouldWriteEntry} says so.
 */
async function runCliBundle(bundlePath, argv, env) {
    const bundle = (0,external_node_fs_namespaceObject.readFileSync)(bundlePath);
    const folder = await openCompileCache(argv, env);
    const path = folder === undefined ? undefined : entryPath(folder, bundle);
    const entry = path === undefined ? undefined : readEntry(path);
    const url = (0,external_node_url_.pathToFileURL)(bundlePath).href;
    const script = new external_node_vm_namespaceObject.Script(bundle.toString('utf8'), {
        filename: url,
        ...(entry ? { cachedData: entry.data } : {}),
        // The bundle imports nothing itself (scripts/function-script.mjs); Node's loader if it ever does.
        importModuleDynamically: external_node_vm_namespaceObject.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const refused = entry !== undefined && script.cachedDataRejected === true;
    const run = script.runInThisContext();
    const exported = await run(external_node_module_namespaceObject.createRequire, url);
    const planned = exported.ranAPlan();
    if (path !== undefined && shouldWriteEntry(entry, refused, planned))
        writeEntry(path, script.createCachedData(), planned);
}


/***/ }),

/***/ 624:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _cli_compile_cache_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(861);
/**
 * The CLI's entry point (`bin` in package.json, dist/cli.js): runs the CLI itself (cli.ts), which
 * scripts/build.mjs bundles apart as dist/cli-main.js, compiled with the CLI's compile cache
 * (cli-compile-cache.ts). Small on purpose: this file is compiled on every run.
 */



await (0,_cli_compile_cache_js__WEBPACK_IMPORTED_MODULE_2__/* .runCliBundle */ .KC)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url)), 'cli-main.js'), process.argv.slice(2), process.env);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(624);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
