// Structural WCAG 2.1 AA checks in jsdom (landmarks, names, headings). Colour contrast needs a
// real browser and is checked there.
import axe from 'axe-core';

// jsdom has no canvas; axe only uses it for an icon-font heuristic.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

/** The axe violations of the whole document, one "rule: targets" line each. */
export async function violations(): Promise<string[]> {
  const result = await axe.run(document.documentElement, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
