#!/usr/bin/env node
/** The local CLI's entry point. */
process.stdout.write('helmrelease-image-updater CLI: not wired yet\n');
