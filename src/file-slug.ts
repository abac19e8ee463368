/**
 * Text as part of a download's file name: lower case, letters and digits joined by hyphens, at most
 * `max` characters, with no hyphen at either end. Empty when the text has no letter or digit: the
 * caller names what stands in its place ("evaluation", "option").
 */
export function fileSlug(text: string, max = 60): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '')
}
