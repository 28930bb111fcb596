/**
 * Runs `work` with some of `process.env` set (a value) or unset (undefined), and puts them back
 * afterwards, for code that reads the environment itself (HttpClient's proxies, the toolkit's
 * NO_PROXY). Synchronous: the variables are back before anything else runs.
 *
 *   const client = withEnv({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url }, () => new HttpClient());
 *
 * Plain TypeScript without jest globals.
 */
export function withEnv<T>(variables: Record<string, string | undefined>, work: () => T): T {
  const saved = Object.keys(variables).map((name) => [name, process.env[name]] as const);
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  try {
    for (const [name, value] of Object.entries(variables)) set(name, value);
    return work();
  } finally {
    for (const [name, value] of saved) set(name, value);
  }
}
