/**
 * Registry host names as users write them in Docker config keys and `registry-mirrors`. Pure, so
 * the settings parser (core) and the registry edge share one reading.
 */
import { DOCKER_HUB } from '../image/reference.js';

/** The `auths` keys that mean Docker Hub (`https://index.docker.io/v1/` normalises to the second). */
const DOCKER_HUB_KEYS = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Normalises a docker config `auths` key to `host[:port]`; Docker Hub's keys become `docker.io`. */
export function normaliseRegistryKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
  return DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB : host;
}

/** Parses `registry-mirrors` lines (`docker.io=https://mirror.example.com/dockerhub`). */
export function parseMirrors(lines: readonly string[]): Record<string, string> {
  const mirrors: Record<string, string> = {};
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`registry-mirrors: "${line}" is not "registry=https://endpoint[/prefix]"`);
    const url = new URL(line.slice(eq + 1).trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`registry-mirrors: "${line}" needs an http(s) URL`);
    }
    mirrors[normaliseRegistryKey(line.slice(0, eq))] = url.toString().replace(/\/+$/, '');
  }
  return mirrors;
}
