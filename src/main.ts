import * as core from '@actions/core';

/** Runs the Action. */
export async function run(): Promise<void> {
  core.info('helmrelease-image-updater: not wired yet');
}
