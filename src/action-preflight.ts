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

/** Fails the step with `message` before the toolkit loads (and throws). */
function stop(message: string): never {
  core.setFailed(message);
  process.exit();
}

/** The API URL as the toolkit takes it (it throws while loading on one that is no URL). */
function apiUrl(): URL {
  try {
    return new URL(process.env.GITHUB_API_URL || 'https://api.github.com');
  } catch {
    return stop(
      'GITHUB_API_URL is not a URL: the runner sets it to its GitHub API (https://api.github.com, or ' +
        'https://HOST/api/v3 on GitHub Enterprise Server); remove the value the workflow gives it.',
    );
  }
}

const url = apiUrl();
const variable = githubProxyVariable(url, process.env, checkBypass(url));
const message = githubProxyMessage(variable);
if (variable.kind === 'fatal') stop(message!);
if (message) core.warning(message);
