/** ProgressLog over `@actions/core`: collapsible groups in the Actions log. */
import * as core from '@actions/core';
import type { ProgressLog } from '../ports.js';

/** The Action's progress log. */
export const actionsLog: ProgressLog = {
  info: (message) => core.info(message),
  group: (name, work) => core.group(name, work),
};
