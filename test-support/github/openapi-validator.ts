/**
 * Validates requests against GitHub's official OpenAPI description (npm `@octokit/openapi`).
 *
 * Only the operations the stand-in serves are compiled, and only when first used, so starting a
 * stand-in stays fast. The description is read once per process (about 13 MB, ~150 ms).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = unknown;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
  'x-multi-segment'?: boolean;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
}

const SPEC_ID = 'https://stand-in.invalid/api.github.com.json';

let spec: Spec | undefined;
let bodyAjv: Ajv | undefined;
let paramAjv: Ajv | undefined;

/** Loads the description once per process. */
function loadSpec(): Spec {
  if (!spec) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    spec = JSON.parse(readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8')) as Spec;
  }
  return spec;
}

/** The ajv instance for bodies: strict types (no coercion), with the whole description as a schema. */
function getBodyAjv(): Ajv {
  if (!bodyAjv) {
    bodyAjv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
    addFormats(bodyAjv);
    bodyAjv.addSchema({
      $id: SPEC_ID,
      components: nullableWithoutType((loadSpec() as unknown as { components: Json }).components),
    });
  }
  return bodyAjv;
}

/** The ajv instance for path and query parameters, which arrive as strings and are coerced. */
function getParamAjv(): Ajv {
  if (!paramAjv) {
    paramAjv = new Ajv({
      strict: false,
      allErrors: true,
      logger: false,
      coerceTypes: true,
      validateSchema: false,
    });
    addFormats(paramAjv);
  }
  return paramAjv;
}

/** Points local `#/components/...` references at the registered description. */
function rebaseRefs(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`));
}

/**
 * OpenAPI 3.0's `nullable: true` beside `oneOf` and no `type` (the issue's `milestone`), which ajv
 * refuses to compile, as the `anyOf` with `null` it means.
 */
function nullableWithoutType(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(nullableWithoutType);
  if (!schema || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema as Record<string, Json>).map(([k, v]) => [k, nullableWithoutType(v)]);
  const object = Object.fromEntries(entries) as Record<string, Json>;
  if (object.nullable !== true || 'type' in object) return object;
  const { nullable: _nullable, ...rest } = object;
  return { anyOf: [rest, { type: 'null' }] };
}

/** A served operation, compiled on first use. */
export interface CompiledOperation {
  operationId: string;
  method: string;
  template: string;
  /** Matches a request path and captures the path parameters in order. */
  pattern: RegExp;
  pathParameterNames: string[];
  validate(
    pathParameters: Record<string, string>,
    query: Record<string, string>,
    body: Json,
    hasBody: boolean,
  ): string[];
}

/** Builds (lazily) the validator of one operation of the description. */
export function compileOperation(method: string, template: string): CompiledOperation {
  const operation = loadSpec().paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`The OpenAPI description has no ${method} ${template}`);
  const parameters = (operation.parameters ?? []).map((p) =>
    '$ref' in p ? loadSpec().components.parameters[p.$ref.replace('#/components/parameters/', '')] : p,
  );
  const pathParameterNames: string[] = [];
  const pattern = new RegExp(
    `^${template.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      pathParameterNames.push(name);
      const parameter = parameters.find((p) => p.name === name && p.in === 'path');
      return parameter?.['x-multi-segment'] ? '(.+)' : '([^/]+)';
    })}$`,
  );
  let compiled: { path: ValidateFunction; query: ValidateFunction; body?: ValidateFunction } | undefined;
  const compile = (): NonNullable<typeof compiled> => {
    if (compiled) return compiled;
    const objectOf = (location: 'path' | 'query'): Json => ({
      type: 'object',
      properties: Object.fromEntries(
        parameters.filter((p) => p.in === location).map((p) => [p.name, p.schema ?? {}]),
      ),
      required: parameters.filter((p) => p.in === location && p.required).map((p) => p.name),
      additionalProperties: false,
    });
    const bodySchema = operation.requestBody?.content['application/json']?.schema;
    compiled = {
      path: getParamAjv().compile(objectOf('path') as object),
      query: getParamAjv().compile(objectOf('query') as object),
      body: bodySchema
        ? getBodyAjv().compile(rebaseRefs(nullableWithoutType(bodySchema)) as object)
        : undefined,
    };
    return compiled;
  };
  return {
    operationId: operation.operationId,
    method: method.toUpperCase(),
    template,
    pattern,
    pathParameterNames,
    validate(pathParameters, query, body, hasBody) {
      const { path, query: queryValidator, body: bodyValidator } = compile();
      const problems: string[] = [];
      const describe = (where: string, validator: ValidateFunction): void => {
        for (const e of validator.errors ?? []) {
          const extra =
            e.keyword === 'additionalProperties'
              ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
              : '';
          problems.push(`${where}${e.instancePath || ''} ${e.message ?? e.keyword}${extra}`);
        }
      };
      // Coercion rewrites values in place, so validate copies.
      if (!path({ ...pathParameters })) describe('path', path);
      if (!queryValidator({ ...query })) describe('query', queryValidator);
      if (operation.requestBody) {
        if (!hasBody) {
          if (operation.requestBody.required) problems.push('body is required');
        } else if (bodyValidator && !bodyValidator(body)) {
          describe('body', bodyValidator);
        }
      } else if (
        hasBody &&
        body !== undefined &&
        !(typeof body === 'object' && body && !Object.keys(body).length)
      ) {
        problems.push('this operation takes no body');
      }
      return problems;
    },
  };
}
