/**
 * Title, commit message and labels of a pull request; the body and the hidden marker live in
 * `pull-request-body.ts` and `pull-request-marker.ts` and are re-exported here.
 *
 * Titles name the image and both versions (`Update bitnami/mongodb from 4.0.3 to 4.0.4
 * (data/mongodb)`), or, for several images of one HelmRelease (`group-by: release`) under the
 * default template, the release and the count (`Update 2 images in data/mongodb`); an optional prefix (`chore(deps):`) goes before the title and the commit's
 * first line alike, for repositories that check conventional commits.
 */
import type { Update } from './types.js';
import { UPDATE_TYPES, type UpdateType } from './update-type.js';
import { writtenRepository } from './pull-request-body.js';
import { capText, showInvisible } from './markdown.js';

export {
  fileLink,
  GITHUB_BODY_LIMIT,
  ignoreVersionHint,
  MAX_BODY_LENGTH,
  releasesLink,
  renderBody,
  writtenRepository,
  type BodyContext,
} from './pull-request-body.js';
export {
  MARKER_PREFIX,
  markerOf,
  mustRewriteText,
  MARKER_VERSION,
  parseMarker,
  parseNewerMarker,
  renderMarker,
  replaceMarker,
  stampBody,
  textStamp,
  type MarkerUpdate,
  type NewerMarker,
  type PullRequestMarker,
} from './pull-request-marker.js';
export { escapeMarkdown, safeUrl } from './markdown.js';

/** The default title template: `Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)`. */
export const DEFAULT_TITLE_TEMPLATE = '{action} {repository} from {from} to {to} ({release})';

/** The placeholders a title or commit message template may use. */
export const TEMPLATE_PLACEHOLDERS = [
  'action',
  'type',
  'repository',
  'image',
  'from',
  'to',
  'release',
  'container',
  'file',
] as const;

/** Name of a template placeholder. */
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** The trailer that marks commits made by this Action (so a foreign commit can be told apart). */
export const COMMIT_TRAILER = 'Updated-by: helmrelease-image-updater';

/** GitHub refuses titles longer than this. */
const MAX_TITLE_LENGTH = 256;
/** GitHub refuses label names longer than this ("name is too long (maximum is 50 characters)"). */
export const MAX_LABEL_LENGTH = 50;

/** Distinct values in first-seen order. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The update types of a group, riskiest first (in the order of {@link UPDATE_TYPES}). */
function typesOf(updates: readonly Update[]): UpdateType[] {
  return UPDATE_TYPES.filter((type) => updates.some((u) => u.type === type));
}

/** The most significant (riskiest) update type of a group, for its `{type}` label. */
export function mostSignificantType(updates: readonly Update[]): UpdateType | undefined {
  return typesOf(updates)[0];
}

/**
 * How many images a group moves when they are several images of one HelmRelease (`group-by:
 * release`); undefined otherwise. An image is a repository and its new tag: two containers on the
 * same text, or one image moving in several releases (`group-by: image`), count once.
 */
export function releaseImageCount(updates: readonly Update[]): number | undefined {
  if (distinct(updates.map((u) => u.release)).length !== 1) return undefined;
  const images = distinct(updates.map((u) => `${writtenRepository(u)}\n${u.to}`)).length;
  return images > 1 ? images : undefined;
}

/** `Downgrade` when every update of the group is one, else `Update`: the first word of a title. */
function actionOf(updates: readonly Update[]): 'Downgrade' | 'Update' {
  return updates.every((u) => u.downgrade) ? 'Downgrade' : 'Update';
}

/**
 * The values each placeholder stands for, for a group of updates. A value from a file shows its
 * bidirectional and zero-width characters as escapes: a release name holding U+202E would turn the
 * rest of a title or commit line around (the template and prefix, the workflow's own, are kept).
 */
function placeholderValues(updates: readonly Update[]): Record<TemplatePlaceholder, string> {
  const join = (pick: (u: Update) => string): string =>
    distinct(updates.map((u) => showInvisible(pick(u)))).join(', ');
  return {
    action: actionOf(updates),
    type: typesOf(updates).join(', '),
    repository: join(writtenRepository),
    image: join((u) => u.newImage),
    from: join((u) => u.from),
    to: join((u) => u.to),
    release: join((u) => u.release),
    container: join((u) => u.container),
    file: join((u) => u.file),
  };
}

/** Fills `{placeholder}`s; unknown ones are left as written. `values` replace the updates' own. */
export function renderTemplate(
  template: string,
  updates: readonly Update[],
  overrides: Partial<Record<TemplatePlaceholder, string>> = {},
): string {
  const values = { ...placeholderValues(updates), ...overrides };
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as TemplatePlaceholder] : whole,
  );
}

/** One line: runs of white space and control characters become one space. */
function oneLine(text: string): string {
  // Names come from files (a quoted YAML key may hold a newline): no value can add lines such as
  // `Signed-off-by:` or a second trailer to a commit message.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return text.replace(/[\s\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/**
 * The pull request title: the prefix (`chore(deps):`), then the template. A downgrade always says
 * so: through `{action}` when the template has it, otherwise by a `(downgrade)` suffix, which a
 * long title is cut before, not after. Releases that do not fit (one image in 40 releases, with
 * `group-by: image`) are counted: `(40 releases)`, not a list cut off mid-name.
 */
export function renderTitle(
  updates: readonly Update[],
  template = DEFAULT_TITLE_TEMPLATE,
  prefix = '',
  place?: string,
): string {
  const images = template === DEFAULT_TITLE_TEMPLATE ? releaseImageCount(updates) : undefined;
  if (images !== undefined) return severalImagesTitle(updates, images, prefix, place);
  // A title another pull request of the run has too names its file(s) (`title-places.ts`).
  let suffix = place === undefined ? '' : ` in ${placeText(place)}`;
  if (!template.includes('{action}') && updates.some((u) => u.downgrade)) suffix += ' (downgrade)';
  // A re-pushed tag keeps its name (`from 1.2.3 to 1.2.3`): the title says what changed.
  if (updates.some((u) => u.fromDigest !== undefined)) suffix += ' (digest changed)';
  const room = MAX_TITLE_LENGTH - suffix.length;
  let title = oneLine(`${prefix} ${renderTemplate(template, updates)}`);
  const releases = new Set(updates.map((u) => u.release)).size;
  if (title.length > room && releases > 1 && template.includes('{release}')) {
    title = oneLine(`${prefix} ${renderTemplate(template, updates, { release: `${releases} releases` })}`);
  }
  return `${capText(title, room)}${suffix}`;
}

/** The longest file list a title names (its start tells clusters' folders apart). */
const MAX_PLACE_LENGTH = 120;

/** The file(s) a title names, on one line, their invisible characters shown, cut to fit. */
function placeText(place: string): string {
  return capText(oneLine(showInvisible(place)), MAX_PLACE_LENGTH);
}

/**
 * `Update 2 images in data/mongodb`: the default title of several images of one release (the
 * commit message and the body list each one). A downgrade among them is said.
 */
function severalImagesTitle(
  updates: readonly Update[],
  images: number,
  prefix: string,
  place: string | undefined,
): string {
  const downgrades = updates.filter((u) => u.downgrade).length;
  const title = oneLine(
    `${prefix} ${actionOf(updates)} ${images} images in ${showInvisible(updates[0]!.release)}`,
  );
  let suffix = place === undefined ? '' : ` (${placeText(place)})`;
  if (downgrades > 0 && downgrades < updates.length) {
    suffix += downgrades === 1 ? ' (1 downgrade)' : ` (${downgrades} downgrades)`;
  }
  if (updates.some((u) => u.fromDigest !== undefined)) suffix += ' (digest changed)';
  return `${capText(title, MAX_TITLE_LENGTH - suffix.length)}${suffix}`;
}

/** The commit message: the title (or its own template), one line per update, and the trailer. */
export function renderCommitMessage(
  updates: readonly Update[],
  template = DEFAULT_TITLE_TEMPLATE,
  prefix = '',
): string {
  const value = (text: string): string => oneLine(showInvisible(text));
  const lines = updates.map(
    (u) =>
      `- ${value(u.release)} (${value(u.container)}) in ${value(u.file)}: ${value(u.image)} -> ${value(u.newImage)} (${u.type})`,
  );
  return `${renderTitle(updates, template, prefix)}\n\n${lines.join('\n')}\n\n${COMMIT_TRAILER}\n`;
}

/** The placeholders a label may hold (`update:{type}`); `labels` refuses any other. */
export const LABEL_PLACEHOLDERS = ['type'] as const;

/**
 * The labels of a pull request: each configured label, with `{type}` standing for the most
 * significant update type of the group (`update-{type}` gives `update-major` for a major and a
 * patch together), so a grouped pull request gets one such label, the one automation and
 * reviewers should go by; at most 50 characters each.
 */
export function renderLabels(labels: readonly string[], updates: readonly Update[]): string[] {
  return labelsForType(labels, mostSignificantType(updates));
}

/**
 * The length of the longest name a configured label renders to (`{type}` as the longest type), so
 * `labels` can refuse one GitHub would refuse instead of it being cut at 50 characters into
 * another label than the one configured.
 */
export function longestLabelLength(label: string): number {
  return Math.max(...UPDATE_TYPES.map((type) => oneLine(label.replace(/\{type\}/g, type)).length));
}

/** The labels `labels` render to for a pull request of `type` (a `{type}` label needs one). */
function labelsForType(labels: readonly string[], type: UpdateType | undefined): string[] {
  const names = labels.flatMap((label) =>
    label.includes('{type}') ? (type ? [label.replace(/\{type\}/g, type)] : []) : [label],
  );
  return distinct(names.map((name) => oneLine(name).slice(0, MAX_LABEL_LENGTH)).filter((n) => n !== ''));
}

/**
 * Of a pull request's `present` labels, those a `{type}` label renders to for another type than
 * its updates' own: a pull request whose newer tag made it a major keeps `update:major` alone, not
 * the `update:patch` of its first tag too (automation that merges by label must not read both).
 * Names compare case-insensitively, as GitHub's do; a label no `{type}` label renders is never one.
 */
export function otherTypeLabels(
  present: readonly string[],
  labels: readonly string[],
  updates: readonly Update[],
): string[] {
  const typed = labels.filter((label) => label.includes('{type}'));
  if (typed.length === 0) return [];
  const wanted = new Set(renderLabels(labels, updates).map((name) => name.toLowerCase()));
  const others = new Set(
    UPDATE_TYPES.flatMap((type) => labelsForType(typed, type))
      .map((name) => name.toLowerCase())
      .filter((name) => !wanted.has(name)),
  );
  return present.filter((name) => others.has(name.toLowerCase()));
}
