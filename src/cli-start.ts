#!/usr/bin/env node
/**
 * The CLI's entry point (`bin` in package.json, dist/cli.js): turns Node's compile cache on
 * (cli-compile-cache.ts), then loads the CLI itself (cli.ts), which scripts/build.mjs bundles
 * apart as dist/cli-main.js so that it is compiled with the cache on. Small on purpose: this
 * file is compiled on every run.
 */
import { enableCliCompileCache } from './cli-compile-cache.js';

/** The CLI's bundle, beside this one in dist/. */
const CLI_BUNDLE = './cli-main.js';

await enableCliCompileCache(process.argv.slice(2), process.env);
await import(/* webpackIgnore: true */ CLI_BUNDLE);
