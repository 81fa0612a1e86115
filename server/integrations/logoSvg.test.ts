import { describe, expect, it } from 'vitest';
import { checkLogoSvg } from './logoSvg.js';

const ns = 'xmlns="http://www.w3.org/2000/svg"';
const problemsOf = (svg: string) => {
  const result = checkLogoSvg(svg);
  return result.ok ? [] : result.problems;
};

describe('logo SVG check', () => {
  it('keeps drawing markup, drops comments and the XML declaration, and encodes what it checked', () => {
    const result = checkLogoSvg(`<?xml version="1.0"?>\n<!-- hi --><svg ${ns} viewBox='0 0 10 10'><title>A &amp; B</title><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.svg).toBe(`<svg ${ns} viewBox="0 0 10 10"><title>A &amp; B</title><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>`);
    expect(Buffer.from(result.dataUri.replace('data:image/svg+xml;base64,', ''), 'base64').toString('utf8')).toBe(result.svg);
  });

  it.each([
    ['a script element', `<svg ${ns}><script>alert(1)</script></svg>`, 'element <script> is not allowed'],
    ['an event handler', `<svg ${ns} onload="alert(1)"><rect width="1" height="1"/></svg>`, 'event handler "onload"'],
    ['an upper-case event handler', `<svg ${ns}><rect ONCLICK="x()" width="1"/></svg>`, 'event handler "ONCLICK"'],
    ['an external href', `<svg ${ns}><image href="https://evil.example/x.png"/></svg>`, 'link "href"'],
    ['an xlink:href', `<svg ${ns}><use xlink:href="#a"/></svg>`, 'link "xlink:href"'],
    ['an external url()', `<svg ${ns}><rect fill="url(https://evil.example/p.svg#x)"/></svg>`, 'references something outside the file'],
    ['a javascript: value', `<svg ${ns}><rect fill="javascript:alert(1)"/></svg>`, 'references something outside the file'],
    ['a style attribute', `<svg ${ns}><rect style="fill:url(//evil)"/></svg>`, 'attribute "style"'],
    ['a style element', `<svg ${ns}><style>@import url(x)</style></svg>`, 'element <style> is not allowed'],
    ['foreignObject', `<svg ${ns}><foreignObject><div/></foreignObject></svg>`, 'element <foreignObject> is not allowed'],
    ['a DOCTYPE with entities', `<!DOCTYPE svg [<!ENTITY x "y">]><svg ${ns}/>`, 'DOCTYPE, ENTITY and CDATA'],
    ['CDATA', `<svg ${ns}><title><![CDATA[<script>]]></title></svg>`, 'DOCTYPE, ENTITY and CDATA'],
    ['a custom entity', `<svg ${ns}><title>&x;</title></svg>`, 'entity'],
    ['a missing namespace', '<svg viewBox="0 0 1 1"/>', 'needs xmlns'],
    ['another root', `<g ${ns}/>`, 'single <svg> element'],
    ['two roots', `<svg ${ns}/><svg ${ns}/>`, 'single <svg> element'],
    ['an unclosed element', `<svg ${ns}><g>`, 'unclosed <svg>, <g>'],
    ['text outside a title', `<svg ${ns}>hello</svg>`, 'text outside'],
  ])('rejects %s', (_name, svg, expected) => {
    expect(problemsOf(svg).join('\n')).toContain(expected);
  });

  it('rejects a logo larger than the cap before looking inside', () => {
    expect(problemsOf(`<svg ${ns}>${'<g></g>'.repeat(2000)}</svg>`)).toEqual(['logo is larger than 8192 bytes']);
  });
});
