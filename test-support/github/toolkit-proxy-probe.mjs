// What GitHub's toolkit does with the proxy variables of its environment, for the API URL in
// GITHUB_API_URL: whether `@actions/github` loads at all (it reads them while it loads), and whether
// http-client would send the API's requests through a proxy. Prints one JSON line; run in a fresh
// process per environment (see __tests__/github/proxy-variable.test.ts).
const apiUrl = process.env.GITHUB_API_URL;
let loads = true;
try {
  await import('@actions/github');
} catch {
  loads = false;
}
let proxied = false;
try {
  const { HttpClient } = await import('@actions/http-client');
  proxied = new HttpClient().getAgentDispatcher(apiUrl) !== undefined;
} catch {
  proxied = false;
}
process.stdout.write(`${JSON.stringify({ loads, proxied })}\n`);
