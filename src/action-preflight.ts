/**
 * What the Action checks before the rest of it loads (index.ts imports this module first): GitHub's
 * toolkit reads the proxy variable while its module loads, and a value it cannot take either throws
 * out of the bundle's start, with a stack trace that prints the value, password included, or is
 * ignored without a word (see github/proxy-variable.ts). The first stops the step here with a
 * sentence naming the variable; the second is a warning, and the run goes on as the toolkit does.
 */
import * as core from '@actions/core';
import { checkBypass } from '@actions/http-client/lib/proxy';
import { githubProxyMessage, githubProxyVariable } from './github/proxy-variable.js';

/** The API URL as the toolkit takes it; undefined when it is no URL (main.ts reports that). */
function apiUrl(): URL | undefined {
  try {
    return new URL(process.env.GITHUB_API_URL || 'https://api.github.com');
  } catch {
    return undefined;
  }
}

const url = apiUrl();
if (url) {
  const variable = githubProxyVariable(url, process.env, checkBypass(url));
  const message = githubProxyMessage(variable);
  if (variable.kind === 'fatal') {
    core.setFailed(message!);
    // Before the toolkit loads and throws.
    process.exit();
  }
  if (message) core.warning(message);
}
