#!/usr/bin/env node
/**
 * The CLI's entry point (`bin` in package.json, dist/cli.js): runs the CLI itself (cli.ts), which
 * scripts/build.mjs bundles apart as dist/cli-main.js, compiled with the CLI's compile cache
 * (cli-compile-cache.ts). Small on purpose: this file is compiled on every run.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliBundle } from './cli-compile-cache.js';

await runCliBundle(
  join(dirname(fileURLToPath(import.meta.url)), 'cli-main.js'),
  process.argv.slice(2),
  process.env,
);
