#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 227:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Hj: () => (/* binding */ enableCliCompileCache)
});

// UNUSED EXPORTS: COMPILE_CACHE_BOUNDS, compileCacheFolder, isPrivateFolder, pruneCompileCache

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/cli-cache-folder.ts
/**
 * The folder the CLI keeps its caches in: `$XDG_CACHE_HOME/helmrelease-image-updater`, or
 * `~/.cache/helmrelease-image-updater` when that is not set. It holds the digest cache
 * (`digests.json`, cli-args.ts) and Node's compile cache of the CLI (cli-compile-cache.ts).
 */


function cliCacheFolder(env, home = (0,external_node_os_namespaceObject.homedir)()) {
    return (0,external_node_path_namespaceObject.join)(env.XDG_CACHE_HOME || (0,external_node_path_namespaceObject.join)(home, '.cache'), 'helmrelease-image-updater');
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
    for (let at = (0,external_node_path_namespaceObject.resolve)(directory);; at = (0,external_node_path_namespaceObject.dirname)(at)) {
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
        if ((0,external_node_path_namespaceObject.dirname)(at) === at)
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
 * Node's compile cache for the CLI (issue 17). Node keeps V8's compiled code of the modules it
 * loads on disk, by file, and a later run that loads the same unchanged bundle does not compile
 * its 2 MB again: the CLI's `--version` goes from about 75 to 61 ms on Node 24, and a run over
 * issue 17's corpus ends 20–40 ms sooner. The cache holds the bundle's compiled code only, never
 * anything a run reads.
 *
 * It is kept beside the digest cache, in a folder of the user's own, not in Node's default folder
 * under the machine's shared temporary folder: compiled code read from a folder someone else can
 * write to is code they chose, run with the user's registry credentials at hand (babel/babel#1093).
 * So the cache is used only in a folder the user owns and no one else can write to; anywhere else
 * the CLI compiles as it would without one. Off with `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch)
 * or `--no-cache`; with `NODE_COMPILE_CACHE=dir` (Node's own) Node keeps it there from its start.
 * The folder is kept within {@link COMPILE_CACHE_BOUNDS}, which Node does not do.
 * The Action keeps none: a hosted runner starts each job on an empty disk, where a cache would
 * only cost its writing.
 */






/**
 * What the folder keeps. Node writes a folder per Node version (and architecture), holding an
 * entry per path the bundle was loaded from, and removes neither: a CLI run from many checkouts,
 * or under many Node versions, would grow it by 0.8 MB each for good.
 */
const COMPILE_CACHE_BOUNDS = { versions: 3, entries: 8 };
/** Where the CLI keeps Node's compile cache, or undefined when it keeps none (the module comment). */
function compileCacheFolder(argv, env) {
    if (env.NODE_DISABLE_COMPILE_CACHE || env.NODE_COMPILE_CACHE)
        return undefined;
    // The flag as cli-args.ts reads it, which takes `--no-cache=...` as `--no-cache`.
    if (argv.some((arg) => arg === '--no-cache' || arg.startsWith('--no-cache=')))
        return undefined;
    return (0,external_node_path_namespaceObject.join)(cliCacheFolder(env), 'node-compile-cache');
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
 * may go; it is written again by its next run). Only what Node writes there is looked at: folders,
 * and files in them; a link is neither followed nor removed. A few calls when within the bounds.
 */
function pruneCompileCache(folder, bounds = COMPILE_CACHE_BOUNDS) {
    const newest = (at, kind, keep) => {
        const paths = (0,external_node_fs_namespaceObject.readdirSync)(at, { withFileTypes: true })
            .filter(kind)
            .map((entry) => (0,external_node_path_namespaceObject.join)(at, entry.name));
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
 * Turns the compile cache on for what the process loads next, in {@link compileCacheFolder} made
 * private to the user; returns that folder, or undefined when the cache stays off. Never throws: a
 * cache that cannot be kept costs only the compiling it would have saved.
 */
async function enableCliCompileCache(argv, env, 
// Not on Node 20 (the CLI's engines start at 22.13, but an older Node should still run it).
enable = external_node_module_namespaceObject.enableCompileCache, uid = process.getuid?.()) {
    const folder = compileCacheFolder(argv, env);
    if (folder === undefined || enable === undefined)
        return undefined;
    try {
        let info = (0,external_node_fs_namespaceObject.statSync)(folder, { throwIfNoEntry: false });
        if (info === undefined) {
            // Node's own recursive mkdir can spin for good under /proc (make-directories.ts): the
            // folder is made here, and Node only makes its own level inside it.
            await makeDirectories((0,external_node_path_namespaceObject.dirname)(folder));
            await (0,promises_namespaceObject.mkdir)(folder, { mode: 0o700 }).catch((e) => {
                if (e.code !== 'EEXIST')
                    throw e;
            });
            info = (0,external_node_fs_namespaceObject.statSync)(folder);
        }
        if (!isPrivateFolder(info, uid))
            return undefined;
        try {
            pruneCompileCache(folder);
        }
        catch {
            // Kept within its bounds on a later run; the cache still works meanwhile.
        }
        return enable(folder).directory === undefined ? undefined : folder;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 624:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _cli_compile_cache_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(227);
/**
 * The CLI's entry point (`bin` in package.json, dist/cli.js): turns Node's compile cache on
 * (cli-compile-cache.ts), then loads the CLI itself (cli.ts), which scripts/build.mjs bundles
 * apart as dist/cli-main.js so that it is compiled with the cache on. Small on purpose: this
 * file is compiled on every run.
 */

/** The CLI's bundle, beside this one in dist/. */
const CLI_BUNDLE = './cli-main.js';
await (0,_cli_compile_cache_js__WEBPACK_IMPORTED_MODULE_0__/* .enableCliCompileCache */ .Hj)(process.argv.slice(2), process.env);
await import(/* webpackIgnore: true */ CLI_BUNDLE);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

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
