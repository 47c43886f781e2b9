import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Every markdown file of the front door and docs/ (generated access matrices included). */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(path.join(root, dir), { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
      );
  return ['README.md', ...walk('docs')];
}

/** Relative link targets of a markdown file (no URLs, no pure anchors). */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

test('the README stays short enough to skim', () => {
  expect(read('README.md').split('\n').length).toBeLessThanOrEqual(150);
});

test('every docs page is one link from the README', () => {
  const linked = new Set(relativeLinks(read('README.md')).map((t) => path.normalize(t.split('#')[0])));
  const pages = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  expect(pages.filter((p) => !linked.has(p))).toEqual([]);
});

test.each(markdownFiles())('every relative link of %s resolves, anchors included', (file) => {
  const broken = relativeLinks(read(file)).filter((target) => {
    const [target_file, hash] = target.split('#');
    const resolved = path.join(path.dirname(file), target_file);
    if (!fs.existsSync(path.join(root, resolved))) return true;
    if (!hash || !resolved.endsWith('.md')) return false;
    const headings = [...read(resolved).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]));
    return !headings.includes(hash);
  });
  expect(broken).toEqual([]);
});
