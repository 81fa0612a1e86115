import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The registry's check of a plugin's logo SVG. The desktop shows logos with <img> (where SVG
 * never runs script), but the markup still travels to every desktop and is cached there, so it
 * must be inert wherever it ends up: an allow-list of drawing elements and presentation
 * attributes, no script, no event handler, no style, no link or reference outside the file, no
 * DOCTYPE or entity (the XML tricks). Anything outside the list rejects the logo, and with it the
 * plugin, at start-up; what passes is re-serialised (comments and the XML declaration dropped)
 * so only what was checked is sent.
 */

/**
 * The text of `logo.svg` beside a plugin's module (pass its `import.meta.url`). Built from the
 * module's path rather than `new URL('./logo.svg', import.meta.url)`, which Vite rewrites into a
 * web asset address when the server runs inside the renderer's component tests.
 */
export function readPluginLogo(moduleUrl: string): string {
  return readFileSync(path.join(path.dirname(fileURLToPath(moduleUrl)), 'logo.svg'), 'utf8');
}

const elements = new Set([
  'svg', 'g', 'path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon', 'title', 'desc', 'defs',
  'linearGradient', 'radialGradient', 'stop', 'clipPath', 'text', 'tspan',
]);

/** Elements whose text content is kept (everything else may only hold whitespace between tags). */
const textElements = new Set(['title', 'desc', 'text', 'tspan']);

const attributes = new Set([
  'xmlns', 'viewBox', 'width', 'height', 'preserveAspectRatio', 'version', 'id', 'role', 'aria-hidden', 'focusable',
  'fill', 'fill-rule', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity',
  'stroke-miterlimit', 'opacity', 'transform', 'clip-path', 'clip-rule', 'd', 'cx', 'cy', 'r', 'rx', 'ry', 'x', 'y',
  'x1', 'y1', 'x2', 'y2', 'points', 'offset', 'stop-color', 'stop-opacity', 'gradientUnits', 'gradientTransform',
  'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'letter-spacing',
]);

const svgNamespace = 'http://www.w3.org/2000/svg';
/** Logos are marks, not pictures: anything bigger is a mistake (or something hiding in one). */
export const maxLogoBytes = 8 * 1024;

export type LogoCheck = { ok: true; svg: string; dataUri: string } | { ok: false; problems: string[] };

const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});)/;
const nameRe = /^[A-Za-z][\w.:-]*$/;
const attributeRe = /\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function valueProblem(name: string, value: string): string | null {
  if (name === 'xmlns') return value === svgNamespace ? null : `xmlns must be "${svgNamespace}"`;
  if (value.includes('<')) return `attribute "${name}" contains "<"`;
  if (entity.test(value)) return `attribute "${name}" uses an entity other than the five XML ones`;
  // url(#id) points inside the file; any other url() (or a scheme) reaches outside it.
  const urls = value.match(/url\s*\(([^)]*)\)/gi) ?? [];
  if (urls.some((u) => !/^url\(\s*#[\w.-]+\s*\)$/i.test(u))) return `attribute "${name}" references something outside the file`;
  if (/(?:javascript|data|https?|file)\s*:/i.test(value)) return `attribute "${name}" references something outside the file`;
  return null;
}

/**
 * Checks and re-serialises a logo. Returns every problem found, worded for the plugin author
 * (the registry prefixes the plugin's key).
 */
export function checkLogoSvg(source: string): LogoCheck {
  const problems: string[] = [];
  if (Buffer.byteLength(source, 'utf8') > maxLogoBytes) return { ok: false, problems: [`logo is larger than ${maxLogoBytes} bytes`] };
  const stack: string[] = [];
  let out = '';
  let i = 0;
  let rootSeen = false;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt === -1 ? source.length : lt);
    if (text.trim()) {
      const parent = stack.at(-1);
      if (!parent || !textElements.has(parent)) problems.push(`text outside a title, desc or text element: "${text.trim().slice(0, 30)}"`);
      else if (entity.test(text)) problems.push('text uses an entity other than the five XML ones');
      else out += text.replaceAll('>', '&gt;');
    }
    if (lt === -1) break;
    const rest = source.slice(lt);
    if (rest.startsWith('<!--')) {
      const end = source.indexOf('-->', lt + 4);
      if (end === -1) return { ok: false, problems: [...problems, 'unterminated comment'] };
      i = end + 3;
      continue;
    }
    if (rest.startsWith('<?')) {
      const end = source.indexOf('?>', lt);
      if (rootSeen || end === -1 || !/^<\?xml[\s?]/.test(rest)) problems.push('processing instructions are not allowed');
      i = end === -1 ? source.length : end + 2;
      continue;
    }
    if (rest.startsWith('<!')) {
      // DOCTYPE, ENTITY and CDATA: how entity expansion and hidden markup get in.
      problems.push('DOCTYPE, ENTITY and CDATA sections are not allowed');
      const end = source.indexOf('>', lt);
      i = end === -1 ? source.length : end + 1;
      continue;
    }
    if (rest.startsWith('</')) {
      const close = /^<\/([^\s>]+)\s*>/.exec(rest);
      if (!close || close[1] !== stack.at(-1)) return { ok: false, problems: [...problems, `unbalanced closing tag ${close?.[1] ?? rest.slice(0, 20)}`] };
      stack.pop();
      out += `</${close[1]}>`;
      i = lt + close[0].length;
      continue;
    }
    const open = /^<([^\s/>]+)/.exec(rest);
    if (!open?.[1] || !nameRe.test(open[1])) return { ok: false, problems: [...problems, `malformed tag near "${rest.slice(0, 20)}"`] };
    const name = open[1];
    if (stack.length === 0 && (rootSeen || name !== 'svg')) problems.push('the logo must be a single <svg> element');
    rootSeen = true;
    if (!elements.has(name)) problems.push(`element <${name}> is not allowed${/^(script|foreignObject|use|image|a|style|iframe|object|embed)$/i.test(name) ? ' (script, styles and references are never allowed)' : ''}`);
    let j = lt + open[0].length;
    const attrs: string[] = [];
    const seen = new Set<string>();
    let namespace: string | null = null;
    for (;;) {
      attributeRe.lastIndex = j;
      const attr = attributeRe.exec(source);
      if (!attr?.[1]) break;
      j = attributeRe.lastIndex;
      const attrName = attr[1];
      const value = attr[2] ?? attr[3] ?? '';
      if (seen.has(attrName)) problems.push(`attribute "${attrName}" appears twice on <${name}>`);
      seen.add(attrName);
      if (/^on/i.test(attrName)) problems.push(`event handler "${attrName}" on <${name}> is not allowed`);
      else if (/href$/i.test(attrName)) problems.push(`link "${attrName}" on <${name}> is not allowed (no references outside the file)`);
      else if (!attributes.has(attrName)) problems.push(`attribute "${attrName}" on <${name}> is not allowed`);
      const bad = valueProblem(attrName, value);
      if (bad) problems.push(`${bad} on <${name}>`);
      if (attrName === 'xmlns') namespace = value;
      attrs.push(` ${attrName}="${value.replaceAll('"', '&quot;')}"`);
    }
    const end = /^\s*(\/?)>/.exec(source.slice(j));
    if (!end) return { ok: false, problems: [...problems, `malformed attributes on <${name}>`] };
    if (name === 'svg' && stack.length === 0 && namespace !== svgNamespace) problems.push(`the <svg> element needs xmlns="${svgNamespace}" (an <img> shows nothing without it)`);
    const selfClosing = end[1] === '/';
    out += `<${name}${attrs.join('')}${selfClosing ? '/>' : '>'}`;
    if (!selfClosing) stack.push(name);
    i = j + end[0].length;
  }
  if (!rootSeen) problems.push('no <svg> element');
  if (stack.length) problems.push(`unclosed <${stack.join('>, <')}>`);
  if (problems.length) return { ok: false, problems };
  return { ok: true, svg: out, dataUri: `data:image/svg+xml;base64,${Buffer.from(out, 'utf8').toString('base64')}` };
}
