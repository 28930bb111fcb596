#!/usr/bin/env node
var __webpack_exports__ = {};
/** The local CLI's entry point. */
process.stdout.write('helmrelease-image-updater CLI: not wired yet\n');


