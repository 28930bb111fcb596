/** Tag filters (Flux v1 `filter.fluxcd.io` annotations) and choosing a container's new tag. */
export type { FilterKind, GlobFilter, RegexFilter, SemverFilter, TagFilter } from './types.js';
export {
  DEFAULT_FILTER_VALUE,
  UNANNOTATED_FILTER,
  NO_FILTER_ANNOTATION,
  FILTER_BUILDERS,
  formatFilter,
  parseFilter,
  splitFilterValue,
  type FilterBuilder,
} from './parse-filter.js';
export { buildGlobFilter, findImpossibleGlobPart, matchGlob } from './glob-filter.js';
export { buildRegexFilter, compileRegex } from './regex-filter.js';
export {
  buildSemverFilter,
  compareTagsByVersion,
  compareVersions,
  parseSemverConstraint,
  parseTagVersion,
  satisfiesConstraint,
  type SemverConstraint,
  type TagVersion,
} from './semver-filter.js';
export { chooseTag, type ChooseTagInput, type TagChoice, type TagDecision } from './choose-tag.js';
export { isArtifactTag, isCandidate, tagsNeedingDetails } from './candidate-tags.js';
