/**
 * Plain scalars typed as gopkg.in/yaml.v2 v2.4.0's `resolve()` types them, and keys and
 * annotation values converted to strings as ghodss/yaml converts them. One row per rule of
 * `resolve.go` and its boundary cases (the rows are the rules, not examples from an issue).
 */
import { describe, expect, it } from '@jest/globals';
import {
  formatGoFloat32,
  isJsonScalar,
  goKeyString,
  goStringValue,
  resolvePlainScalar,
  resolveScalar,
} from '../../src/helmrelease/go-scalars.js';

type Type = 'str' | 'null' | 'bool' | 'int' | 'float';

describe('resolvePlainScalar (yaml.v2 resolve.go)', () => {
  it.each<[string, string, Type]>([
    // resolveMap: null
    ['empty is null', '', 'null'],
    ['~ is null', '~', 'null'],
    ['null', 'null', 'null'],
    ['Null', 'Null', 'null'],
    ['NULL', 'NULL', 'null'],
    ['nULL is text', 'nULL', 'str'],
    ['~~ is text', '~~', 'str'],
    // resolveMap: YAML 1.1 booleans
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
      (w): [string, string, Type] => [`${w} is true`, w, 'bool'],
    ),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
      (w): [string, string, Type] => [`${w} is false`, w, 'bool'],
    ),
    ['yEs is text (only three spellings)', 'yEs', 'str'],
    ['o is text (in the table, not the map)', 'o', 'str'],
    ['t is text', 't', 'str'],
    ['Yess is text', 'Yess', 'str'],
    // resolveMap: special floats
    ['.inf', '.inf', 'float'],
    ['.Inf', '.Inf', 'float'],
    ['.INF', '.INF', 'float'],
    ['+.inf', '+.inf', 'float'],
    ['-.INF', '-.INF', 'float'],
    ['.nan', '.nan', 'float'],
    ['.NaN', '.NaN', 'float'],
    ['.iNf is text', '.iNf', 'str'],
    ['.Nan is text', '.Nan', 'str'],
    // hint ".": Go ParseFloat
    ['.5', '.5', 'float'],
    ['.5e3', '.5e3', 'float'],
    ['. alone is text', '.', 'str'],
    ['.e1 is text', '.e1', 'str'],
    ['.5e999 overflows: text', '.5e999', 'str'],
    ['.5e-999 underflows to 0: a float', '.5e-999', 'float'],
    ['._5 is text', '._5', 'str'],
    // hint D/S: ParseInt(s, 0, 64) after removing underscores
    ['0', '0', 'int'],
    ['150', '150', 'int'],
    ['+1', '+1', 'int'],
    ['-7', '-7', 'int'],
    ['00', '00', 'int'],
    ['017 (octal)', '017', 'int'],
    ['0o17', '0o17', 'int'],
    ['0O17', '0O17', 'int'],
    ['0x1F', '0x1F', 'int'],
    ['0X1f', '0X1f', 'int'],
    ['+0x1F', '+0x1F', 'int'],
    ['0b101', '0b101', 'int'],
    ['0B101', '0B101', 'int'],
    ['-0b101', '-0b101', 'int'],
    ['1_000', '1_000', 'int'],
    ['1__0', '1__0', 'int'],
    ['1_ (underscores removed)', '1_', 'int'],
    ['0x_1F', '0x_1F', 'int'],
    ['_1 is text (no hint for _)', '_1', 'str'],
    ['0x is text', '0x', 'str'],
    ['0b is text', '0b', 'str'],
    ['0o8 is text', '0o8', 'str'],
    ['0b2 is text', '0b2', 'str'],
    ['0b21 is text', '0b21', 'str'],
    ['0b12 is text', '0b12', 'str'],
    ['0xfg is text', '0xfg', 'str'],
    ['0xgf is text', '0xgf', 'str'],
    ['0o78 is text', '0o78', 'str'],
    ['0o87 is text', '0o87', 'str'],
    ['018 (bad octal) is a float', '018', 'float'],
    ['081 (bad octal) is a float', '081', 'float'],
    ['1a is text', '1a', 'str'],
    ['a1 is text', 'a1', 'str'],
    ['0xg is text', '0xg', 'str'],
    // int64 and uint64 limits
    ['int64 max', '9223372036854775807', 'int'],
    ['int64 min', '-9223372036854775808', 'int'],
    ['int64 max + 1 (uint64)', '9223372036854775808', 'int'],
    ['uint64 max', '18446744073709551615', 'int'],
    ['uint64 max + 1 is a float', '18446744073709551616', 'float'],
    ['int64 min - 1 is a float', '-9223372036854775809', 'float'],
    // yamlStyleFloat, then ParseFloat
    ['4.0', '4.0', 'float'],
    ['1.', '1.', 'float'],
    ['0.', '0.', 'float'],
    ['08 (bad octal) is a float', '08', 'float'],
    ['09.5', '09.5', 'float'],
    ['-.5', '-.5', 'float'],
    ['+.5', '+.5', 'float'],
    ['1e3', '1e3', 'float'],
    ['1E3', '1E3', 'float'],
    ['1e+3', '1e+3', 'float'],
    ['1.5e-3', '1.5e-3', 'float'],
    ['123e4', '123e4', 'float'],
    ['1_0.5', '1_0.5', 'float'],
    ['1e999 overflows: text', '1e999', 'str'],
    ['e123456 (no digit before e) is text', 'e123456', 'str'],
    ['E1 is text', 'E1', 'str'],
    ['1e is text', '1e', 'str'],
    ['1e+ is text', '1e+', 'str'],
    ['1.2.3 is text', '1.2.3', 'str'],
    ['1.0.0 is text', '1.0.0', 'str'],
    ['0x1p3 (hex float) is text', '0x1p3', 'str'],
    ['1.5f is text', '1.5f', 'str'],
    // no sexagesimal in yaml.v2
    ['1:20 is text', '1:20', 'str'],
    ['190:20:30 is text', '190:20:30', 'str'],
    ['-1:20 is text', '-1:20', 'str'],
    // timestamps stay text when decoded into interface{}
    ['2024-01-01', '2024-01-01', 'str'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00', 'str'],
    ['2024-13-45 (not a date either)', '2024-13-45', 'str'],
    // signs alone and other text
    ['- alone', '-', 'str'],
    ['+ alone', '+', 'str'],
    ['--1', '--1', 'str'],
    ['1-2', '1-2', 'str'],
    ['v1.2.3', 'v1.2.3', 'str'],
    ['a7f3c1d (git sha)', 'a7f3c1d', 'str'],
    ['1234567 (all-digit sha) is an int', '1234567', 'int'],
    ['1e34567 (sha with e) overflows: text', '1e34567', 'str'],
    ['123e456 overflows: text', '123e456', 'str'],
    ['12e4567 overflows: text', '12e4567', 'str'],
    ['4e12345 overflows: text', '4e12345', 'str'],
    ['9e9 is a float', '9e9', 'float'],
    ['<<', '<<', 'str'],
    // boundaries of the number rules
    ['+.25 (two digits after the point)', '+.25', 'float'],
    ['.25 (two digits after the point)', '.25', 'float'],
    ['1e10 (two exponent digits)', '1e10', 'float'],
    ['1.5 then a no-break space is text', '1.5\u00a0', 'str'],
    ['.5 then a no-break space is text', '.5\u00a0', 'str'],
    ['0x1 (one hex digit)', '0x1', 'int'],
    ['0b1', '0b1', 'int'],
    ['0o7', '0o7', 'int'],
    ['+int64 max', '+9223372036854775807', 'int'],
    ['+uint64 max: ParseUint refuses a sign, so a float', '+18446744073709551615', 'float'],
    ['0x10000000000000000 (beyond uint64, no float either) is text', '0x10000000000000000', 'str'],
    ['x1 is text', 'x1', 'str'],
    ['~1 is text', '~1', 'str'],
  ])('%s', (_name, text, type) => {
    expect(resolvePlainScalar(text).type).toBe(type);
  });

  it('reads the values Go reads', () => {
    expect(resolvePlainScalar('017')).toEqual({ type: 'int', value: 15n });
    expect(resolvePlainScalar('0x1F')).toEqual({ type: 'int', value: 31n });
    expect(resolvePlainScalar('-0b101')).toEqual({ type: 'int', value: -5n });
    expect(resolvePlainScalar('1_000')).toEqual({ type: 'int', value: 1000n });
    expect(resolvePlainScalar('08')).toEqual({ type: 'float', value: 8 });
    expect(resolvePlainScalar('yes')).toEqual({ type: 'bool', value: true });
    expect(resolvePlainScalar('OFF')).toEqual({ type: 'bool', value: false });
    expect(resolvePlainScalar('0')).toEqual({ type: 'int', value: 0n });
    expect(resolvePlainScalar('0b1')).toEqual({ type: 'int', value: 1n });
    expect(resolvePlainScalar('0o17')).toEqual({ type: 'int', value: 15n });
    expect(resolvePlainScalar('+9223372036854775807')).toEqual({ type: 'int', value: 9223372036854775807n });
    expect(resolvePlainScalar('-.25')).toEqual({ type: 'float', value: -0.25 });
    expect(resolvePlainScalar('~')).toEqual({ type: 'null' });
    expect(resolvePlainScalar('.inf')).toEqual({ type: 'float', value: Number.POSITIVE_INFINITY });
  });
});

describe('resolveScalar: style and explicit tags', () => {
  it.each<[string, string, boolean, string | undefined, Type]>([
    ['a quoted number is text', '150', false, undefined, 'str'],
    ['a quoted boolean is text', 'true', false, undefined, 'str'],
    ['!!str on a plain number', '150', true, 'tag:yaml.org,2002:str', 'str'],
    ['!!int on a quoted number', '5', false, 'tag:yaml.org,2002:int', 'int'],
    ['!!float on an int gives a float', '5', true, 'tag:yaml.org,2002:float', 'float'],
    ['!!null', 'x', true, 'tag:yaml.org,2002:null', 'null'],
    ['a custom tag is text', '5', true, '!custom', 'str'],
    // Observed from yaml.v2 2.4.0 (scripts/go-yaml): `! yes` is the string "yes".
    ['the non-specific tag ! makes a string', 'yes', true, '!', 'str'],
    ['an empty tag resolves as plain', '12', true, '', 'int'],
    ['a quoted scalar with an empty tag is text', '12', false, '', 'str'],
    ['!!bool on yes', 'yes', true, 'tag:yaml.org,2002:bool', 'bool'],
    ['!!int on text stays text', 'abc', true, 'tag:yaml.org,2002:int', 'str'],
    ['!!float on a float', '1.5', true, 'tag:yaml.org,2002:float', 'float'],
    ['!!int written short', '7', false, '!!int', 'int'],
    ['!!str written short', '7', true, '!!str', 'str'],
    ['!!null written short', '7', true, '!!null', 'null'],
    ['another domain is a custom tag', '7', true, 'tag:example.com,2002:int', 'str'],
  ])('%s', (_name, text, plain, tag, type) => {
    expect(resolveScalar(text, plain, tag).type).toBe(type);
  });

  it('!!float turns an int into its float value; other tags keep the value', () => {
    expect(resolveScalar('0x10', true, 'tag:yaml.org,2002:float')).toEqual({ type: 'float', value: 16 });
    expect(resolveScalar('0x10', true, 'tag:yaml.org,2002:int')).toEqual({ type: 'int', value: 16n });
    expect(resolveScalar('1.5', true, 'tag:yaml.org,2002:int')).toEqual({ type: 'float', value: 1.5 });
    expect(resolveScalar('off', false, 'tag:yaml.org,2002:bool')).toEqual({ type: 'bool', value: false });
  });
});

describe('isJsonScalar: JSON holds no infinite number or NaN', () => {
  it.each<[string, boolean]>([
    ['1.5', true],
    ['.inf', false],
    ['-.inf', false],
    ['.nan', false],
    ['12', true],
    ['yes', true],
    ['~', true],
    ['text', true],
  ])('%s: %s', (text, json) => {
    expect(isJsonScalar(resolvePlainScalar(text))).toBe(json);
  });
});

describe('ghodss/yaml: keys and string fields', () => {
  it.each<[string, string | undefined]>([
    ['image', 'image'],
    ['1', '1'],
    ['+1', '1'],
    ['0x1F', '31'],
    ['017', '15'],
    ['1_000', '1000'],
    ['-0b11', '-3'],
    ['true', 'true'],
    ['yes', 'true'],
    ['y', 'true'],
    ['off', 'false'],
    ['1.5', '1.5'],
    ['1.10', '1.1'],
    ['4.0', '4'],
    ['1e6', '1e+06'],
    ['123456.0', '123456'],
    ['0.0001', '0.0001'],
    ['0.00001', '1e-05'],
    ['16777217.0', '1.6777216e+07'],
    ['3.14159', '3.14159'],
    ['-2.5', '-2.5'],
    ['0.5', '0.5'],
    ['false', 'false'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['.inf', '.inf'],
    ['-.inf', '-.inf'],
    ['.nan', '.nan'],
    ['1:20', '1:20'],
    ['e123456', 'e123456'],
    ['9223372036854775807', '9223372036854775807'],
    ['9223372036854775808', undefined], // uint64: "Unsupported map key"
    ['~', undefined],
    ['', undefined],
  ])('key %j -> %j', (text, key) => {
    expect(goKeyString(text, resolvePlainScalar(text))).toBe(key);
  });

  it.each<[string, string]>([
    ['true', 'true'],
    ['yes', 'true'],
    ['On', 'true'],
    ['no', 'false'],
    ['1.10', '1.1'],
    ['0x10', '16'],
    ['18446744073709551615', '18446744073709551615'],
    ['~', ''],
    ['', ''],
    ['semver:~1.0', 'semver:~1.0'],
    ['1e3', '1000'],
    ['-0.25', '-0.25'],
    ['.inf', '.inf'],
    ['-9223372036854775808', '-9223372036854775808'],
  ])('annotation value %j -> %j', (text, value) => {
    expect(goStringValue(text, resolvePlainScalar(text))).toBe(value);
  });

  it('formats float32 the way Go does', () => {
    expect(formatGoFloat32(0.1)).toBe('0.1');
    expect(formatGoFloat32(100000)).toBe('100000');
    expect(formatGoFloat32(1000000)).toBe('1e+06');
    expect(formatGoFloat32(1.5e-7)).toBe('1.5e-07');
    expect(formatGoFloat32(1e40)).toBe('.inf');
    expect(formatGoFloat32(-0)).toBe('-0');
  });

  it.each<[number, string]>([
    [0, '0'],
    [1, '1'],
    [-0.5, '-0.5'],
    [1200, '1200'],
    [123456, '123456'],
    [999999, '999999'],
    [1234567, '1.234567e+06'],
    [-1e6, '-1e+06'],
    [1e20, '1e+20'],
    [1e30, '1e+30'],
    [3.4e38, '3.4e+38'],
    [0.001, '0.001'],
    [0.00012, '0.00012'],
    [-0.00001, '-1e-05'],
    [1.25e-5, '1.25e-05'],
    [1e-45, '1e-45'],
    [-1e40, '-.inf'],
    [Number.NEGATIVE_INFINITY, '-.inf'],
    [Number.POSITIVE_INFINITY, '.inf'],
    [Number.NaN, '.nan'],
    [0.3, '0.3'],
    [1.0000001, '1.0000001'],
    [16777216, '1.6777216e+07'],
    [100.5, '100.5'],
  ])('strconv.FormatFloat(float32(%d), g, -1, 32) is %j', (f, text) => {
    expect(formatGoFloat32(f)).toBe(text);
  });
});
