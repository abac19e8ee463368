/**
 * JSON Canonicalization Scheme (RFC 8785): the one text a JSON value has, so that its hash is the
 * same wherever it is made. Object keys are sorted by their UTF-16 code units; numbers are written
 * as ECMAScript writes them (Number.prototype.toString, which is what RFC 8785 adopts); strings
 * escape only `"`, `\` and the control characters, as JSON.stringify does. Values JSON cannot hold
 * (NaN, Infinity, undefined, a lone surrogate, a function) are refused rather than changed.
 * Properties whose value is undefined are left out, as JSON.stringify leaves them out.
 */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JSON cannot hold the number ${value}`)
      // ECMAScript's serialisation; -0 is written 0, as RFC 8785 says.
      return JSON.stringify(value)
    case 'string':
      return canonicalString(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalize(item)).join(',')}]`
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        // The default sort compares UTF-16 code units, exactly as RFC 8785 § 3.2.3 asks.
        .sort()
      return `{${keys.map((key) => `${canonicalString(key)}:${canonicalize(record[key])}`).join(',')}}`
    }
    default:
      throw new TypeError(`JSON cannot hold a value of type ${typeof value}`)
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function canonicalString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new TypeError('JSON text cannot hold a lone surrogate')
  return JSON.stringify(text)
}
