/** Types of scripts/function-script.mjs (plain JavaScript: scripts/build.mjs runs on Node without a compiler). */
export const BUNDLE_URL_PARAMETER: string;
export function asFunctionScript(code: string, bundle: string): string;
