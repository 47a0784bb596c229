import { describe, expect, it } from 'vitest';
import { escapeHtml, hostnameHue } from '../src/html.js';

describe('escapeHtml', () => {
  it.each([
    ['<a href="x">&\'</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;'],
    ['http://127.0.0.1:8080/', 'http&#58;//127.0.0.1&#58;8080/'],
    ['plain', 'plain'],
  ])('%s -> %s', (text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});

describe('hostnameHue', () => {
  it('gives each hostname a hue from 0 to 359, always the same one', () => {
    const hues = ['a1b2c3', 'hello-lab-hello-1', 'hello-lab-hello-2', ''].map(hostnameHue);
    for (const hue of hues) expect(hue).toBeGreaterThanOrEqual(0);
    for (const hue of hues) expect(hue).toBeLessThan(360);
    expect(hostnameHue('hello-lab-hello-1')).toBe(hues[1]);
    expect(new Set(hues).size).toBe(hues.length);
  });

  it('is FNV-1a of the code points, modulo 360', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c.
    expect(hostnameHue('a')).toBe(0xe40c292c % 360);
  });
});
