import { describe, expect, it } from 'vitest'
import { fileSlug } from '../src/file-slug.js'

describe('a file name made from a title', () => {
  it('is lower case, letters and digits joined by single hyphens, none at either end', () => {
    expect(fileSlug('  Replacement of the Force’s Records System (2026)! ')).toBe('replacement-of-the-force-s-records-system-2026')
    expect(fileSlug('Ünïcode — only')).toBe('n-code-only')
    expect(fileSlug('—')).toBe('')
  })

  it('is cut to its length without leaving a hyphen where the cut falls', () => {
    expect(fileSlug('abcd efgh', 5)).toBe('abcd')
    expect(fileSlug('a'.repeat(70))).toHaveLength(60)
    expect(fileSlug(`${'a'.repeat(59)} b`)).toBe('a'.repeat(59))
  })
})
