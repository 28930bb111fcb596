/**
 * Flux v1 manifest generation (`.flux.yaml`, docs/references/fluxyaml-config-files.md): a
 * directory with a `.flux.yaml` (or below one) has its manifests generated, and Flux wrote image
 * updates through the config's updaters (`patchUpdated` into a patch file, `commandUpdated` by
 * commands), never into the YAML files themselves. Editing such a file here would change a base
 * shared by every environment, so its HelmReleases are held back, with a warning that says why.
 * Pure.
 *
 *   apps/.flux.yaml          governs apps/base/app.yaml and apps/prod/app.yaml
 *   apps/prod/.flux.yaml     governs apps/prod/app.yaml (the nearest one is named)
 */
import { warning } from '../problems.js';
import type { FileScan } from './types.js';

/** The name of Flux v1's manifest generation config file. */
export const FLUX_CONFIG = '.flux.yaml';

/** The `.flux.yaml` files of a workspace listing (repository-relative paths). */
export function findFluxConfigs(listing: readonly string[]): Set<string> {
  const configs = new Set<string>();
  for (const file of listing) {
    if (file === FLUX_CONFIG || file.endsWith(`/${FLUX_CONFIG}`)) configs.add(file);
  }
  return configs;
}

/** The nearest `.flux.yaml` in the file's folder or a folder above it, or undefined. */
export function governingFluxConfig(file: string, configs: ReadonlySet<string>): string | undefined {
  // Stryker disable next-line ConditionalExpression: an early exit for the usual repository without one; the walk finds none either.
  if (configs.size === 0) return undefined;
  let dir = file;
  do {
    dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/'))); // the parent folder; '' is the root
    const candidate = dir === '' ? FLUX_CONFIG : `${dir}/${FLUX_CONFIG}`;
    if (configs.has(candidate)) return candidate;
  } while (dir !== '');
  return undefined;
}

/**
 * The scan with its releases held back when a `.flux.yaml` governs the file: each release keeps
 * its containers (so they are listed) but gets no update, and one warning names the config.
 */
export function holdGeneratedReleases(scan: FileScan, configs: ReadonlySet<string>): FileScan {
  const config = governingFluxConfig(scan.file, configs);
  if (config === undefined || scan.releases.length === 0) return scan;
  // How to get updates again: Flux v2 never reads a .flux.yaml, so one left behind by a migration
  // would hold its files back for nothing.
  const reason =
    `Flux v1 manifest generation: ${config} governs this file, and Flux wrote image updates through ` +
    "the config's updaters (a patchUpdated patch file, or commandUpdated commands), not into this file; " +
    `it is not edited. If Flux v1 no longer deploys from it (Flux v2 ignores .flux.yaml), delete ${config}`;
  return {
    ...scan,
    releases: scan.releases.map((r) => ({
      ...r,
      policies: { ...r.policies, generated: reason, generatedBy: config },
    })),
    problems: [...scan.problems, warning(scan.file, scan.releases[0].line, reason)],
  };
}
