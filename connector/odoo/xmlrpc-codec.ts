/**
 * XML-RPC bodies as the connector writes calls and reads Odoo's answers, on fast-xml-parser.
 *
 * The values are those the `xmlrpc` package gave before (proven against it by
 * test/odoo/xmlrpc-codec.test.ts): <nil/> null, <boolean> true/false, <int>/<i4> a
 * number (parseInt), <i8> a string of digits (it may exceed 2^53; Odoo sends none),
 * <double> a number (parseFloat), <string> and untyped text exactly as sent (CR kept),
 * <base64> a Buffer, <dateTime.iso8601> a Date (local time without a zone; Odoo sends
 * dates as strings), <array> an array, <struct> an object. Only what Odoo never sends
 * differs: tags in other cases, HTML named entities, CR inside CDATA (read as LF), a
 * `__proto__` member (an own property here).
 */
import { XMLParser } from 'fast-xml-parser';

/** Odoo's answer could not be read. `notXmlRpc`: it is not XML-RPC at all (a login page, a proxy's error page). */
export class XmlRpcAnswerError extends Error {
  constructor(
    message: string,
    readonly notXmlRpc: boolean,
  ) {
    super(message);
    this.name = 'XmlRpcAnswerError';
  }
}

/** A `<fault>` answer: Odoo's faultCode and faultString. */
export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault: ${faultString}`);
    this.name = 'XmlRpcFault';
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g;

function decodeEntity(whole: string, name: string): string {
  if (name.charCodeAt(0) !== 35) return XML_ENTITIES[name] ?? whole; // '#'
  const cp = name.charCodeAt(1) === 120 ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
}

/**
 * The five XML entities and numeric references, nothing else: fast-xml-parser leaves
 * numeric references alone unless HTML entities are on, and no DOCTYPE may declare more.
 */
const entityDecoder = {
  setExternalEntities(): void {},
  addInputEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
  decode(text: string): string {
    return text.indexOf('&') === -1 ? text : text.replace(ENTITY, decodeEntity);
  },
};

const parser = new XMLParser({
  preserveOrder: true, // mixed text and elements (an untyped <value>) in document order
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder,
  jPath: false, // no path string built per tag: nothing here reads it
});

/** One node of fast-xml-parser's ordered output: `{ tag: children }` or `{ '#text': text }`. */
type Node = Record<string, unknown>;

function tagOf(n: Node): string {
  for (const k in n) if (k !== ':@') return k;
  return '';
}
function kids(n: Node, tag: string): Node[] {
  return n[tag] as Node[];
}
function textOf(nodes: Node[]): string {
  let s = '';
  for (const c of nodes) if ('#text' in c) s += c['#text'] as string;
  return s;
}
/** The elements among `nodes`, each of `tag`; text between them is ignored, as the old client did. */
function elementsOf(nodes: Node[], tag: string): Node[][] {
  const out: Node[][] = [];
  for (const c of nodes) {
    if ('#text' in c) continue;
    const t = tagOf(c);
    if (t !== tag) throw unknownTag(t);
    out.push(kids(c, t));
  }
  return out;
}
function onlyElement(nodes: Node[], tag: string): Node[] {
  const els = elementsOf(nodes, tag);
  if (els.length !== 1) throw new XmlRpcAnswerError(`Expected one <${tag}> but got ${els.length}`, true);
  return els[0]!;
}
const unknownTag = (t: string): XmlRpcAnswerError => new XmlRpcAnswerError(`Unknown XML-RPC tag '${t}'`, true);

/** A `<value>`'s children to its value. */
function decodeValue(nodes: Node[]): unknown {
  let typed: Node | undefined;
  for (const c of nodes) {
    if ('#text' in c) continue;
    if (typed) throw new XmlRpcAnswerError('A <value> holds more than one element', true);
    typed = c;
  }
  if (!typed) return textOf(nodes); // untyped text is a string; an empty <value/> is ''
  const tag = tagOf(typed);
  const inner = kids(typed, tag);
  switch (tag) {
    case 'string':
      return textOf(inner);
    case 'int':
    case 'i4': {
      const text = textOf(inner);
      const n = parseInt(text, 10);
      if (Number.isNaN(n)) throw new XmlRpcAnswerError(`Expected an integer but got '${text}'`, false);
      return n;
    }
    case 'i8': {
      const text = textOf(inner);
      if (!/^-?\d+$/.test(text)) throw new XmlRpcAnswerError(`Expected integer (I8) value but got '${text}'`, false);
      return text;
    }
    case 'boolean': {
      const text = textOf(inner);
      if (text === '1') return true;
      if (text === '0') return false;
      throw new XmlRpcAnswerError(`Illegal boolean value '${text}'`, false);
    }
    case 'double': {
      const text = textOf(inner);
      const n = parseFloat(text);
      if (Number.isNaN(n)) throw new XmlRpcAnswerError(`Expected a double but got '${text}'`, false);
      return n;
    }
    case 'nil':
      return null;
    case 'array': {
      const out: unknown[] = [];
      for (const data of elementsOf(inner, 'data')) for (const v of elementsOf(data, 'value')) out.push(decodeValue(v));
      return out;
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const member of elementsOf(inner, 'member')) {
        let name: string | undefined;
        let value: Node[] | undefined;
        for (const c of member) {
          if ('#text' in c) continue;
          const t = tagOf(c);
          if (t === 'name' && name === undefined) name = textOf(kids(c, t));
          else if (t === 'value' && value === undefined) value = kids(c, t);
          else throw unknownTag(t);
        }
        if (name === undefined || value === undefined) throw new XmlRpcAnswerError('A struct <member> without its <name> or <value>', true);
        // an own property even for '__proto__', which plain assignment would take as the prototype
        if (name === '__proto__') Object.defineProperty(out, name, { value: decodeValue(value), enumerable: true, writable: true, configurable: true });
        else out[name] = decodeValue(value);
      }
      return out;
    }
    case 'base64':
      return Buffer.from(textOf(inner), 'base64');
    case 'dateTime.iso8601':
      return decodeIso8601(textOf(inner));
    default:
      throw unknownTag(tag);
  }
}

// the package's pattern as it compiled it: its '\\.' in a string became '.', any character
const ISO8601 = /([0-9]{4})([-]?([0-9]{2}))([-]?([0-9]{2}))(T([0-9]{2})(((:?([0-9]{2}))?((:?([0-9]{2}))?(.([0-9]+))?))?)(Z|([+-]([0-9]{2}(:?([0-9]{2}))?)))?)?/;
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The `xmlrpc` package's reading of a dateTime: without a zone, in this process' local time. */
function decodeIso8601(text: string): Date {
  const p = ISO8601.exec(text);
  if (!p) throw new XmlRpcAnswerError(`Expected a ISO8601 datetime but got '${text}'`, false);
  const local = `${p[1]}-${p[3] ?? '01'}-${p[5] ?? '01'}T${p[7] ?? '00'}:${p[11] ?? '00'}:${p[14] ?? '00'}.${p[16] ?? '000'}`;
  let zone: string;
  if (p[17] !== undefined) zone = p[17] + (p[19] && p[20] === undefined ? '00' : '');
  else {
    const offset = new Date(local).getTimezoneOffset();
    zone = offset === 0 ? 'Z' : `${offset < 0 ? '+' : '-'}${pad2(Math.abs(Math.floor(offset / 60)))}:${pad2(Math.abs(offset % 60))}`;
  }
  return new Date(local + zone);
}

/**
 * XML parsers read a CR as LF, but Python writes a string's CR raw and the old client kept
 * it: each CR becomes a character reference, inside CDATA by closing and reopening it.
 */
function keepCarriageReturns(xml: string): string {
  return xml.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|\r/g, (m: string, cdata: string | undefined) =>
    cdata === undefined ? '&#13;' : `<![CDATA[${cdata.replace(/\r/g, ']]>&#13;<![CDATA[')}]]>`,
  );
}

const CLOSED = /<\/methodResponse\s*>\s*$/;

/**
 * Odoo's answer body to its value; a fault throws XmlRpcFault, anything else unreadable
 * XmlRpcAnswerError (not XML-RPC, a bad value, or cut short).
 */
export function decodeMethodResponse(xml: string): unknown {
  const body = xml.indexOf('\r') === -1 ? xml : keepCarriageReturns(xml);
  let doc: Node[];
  try {
    doc = parser.parse(body) as Node[];
  } catch (e) {
    throw new XmlRpcAnswerError(`Unexpected XML: ${(e as Error).message}`, true);
  }
  let response: Node[] | undefined;
  for (const n of doc) {
    const t = tagOf(n);
    if (t === '#text' || t === '?xml') continue;
    if (t !== 'methodResponse' || response) throw unknownTag(t);
    response = kids(n, t);
  }
  if (!response) throw new XmlRpcAnswerError('Not a method response', true);
  // fast-xml-parser does not check that every tag is closed: an answer cut short must not read as a shorter one
  if (!CLOSED.test(xml)) throw new XmlRpcAnswerError('Invalid XML-RPC message', false);
  let kind: Node | undefined;
  for (const c of response) {
    if ('#text' in c) continue;
    if (kind) throw new XmlRpcAnswerError('Invalid method response', true);
    kind = c;
  }
  const tag = kind ? tagOf(kind) : '';
  if (tag === 'params') {
    const params = elementsOf(kids(kind!, tag), 'param');
    if (params.length > 1) throw new XmlRpcAnswerError('Response has more than one param', true);
    return params.length ? decodeValue(onlyElement(params[0]!, 'value')) : undefined;
  }
  if (tag === 'fault') {
    const fault = decodeValue(onlyElement(kids(kind!, tag), 'value')) as { faultCode?: unknown; faultString?: unknown };
    if (typeof fault !== 'object' || fault === null || typeof fault.faultCode !== 'number' || typeof fault.faultString !== 'string') {
      throw new XmlRpcAnswerError('A fault without its faultCode and faultString', true);
    }
    throw new XmlRpcFault(fault.faultCode, fault.faultString);
  }
  throw kind ? unknownTag(tag) : new XmlRpcAnswerError('Invalid method response', true);
}

/** &, < and > as entities; CR as a reference, since an XML parser reads a raw CR as LF. */
function escapeText(s: string): string {
  return /[&<>\r]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;') : s;
}

function encodeValue(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(value.length ? `<value><string>${escapeText(value)}</string></value>` : '<value><string/></value>');
      return;
    case 'number':
      // as the xmlrpc package: integral numbers are <int>, others <double>
      out.push(value % 1 === 0 ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`);
      return;
    case 'boolean':
      out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>`);
      return;
    case 'object':
      if (value === null) out.push('<value><nil/></value>');
      else if (Buffer.isBuffer(value)) out.push(`<value><base64>${value.toString('base64')}</base64></value>`);
      else if (Array.isArray(value)) {
        out.push('<value><array><data>');
        for (const v of value) encodeValue(v, out);
        out.push('</data></array></value>');
      } else if (value instanceof Date) {
        throw new TypeError('Refusing to encode a Date for Odoo: send its text');
      } else {
        out.push('<value><struct>');
        for (const k of Object.keys(value)) {
          out.push(`<member><name>${escapeText(k)}</name>`);
          encodeValue((value as Record<string, unknown>)[k], out);
          out.push('</member>');
        }
        out.push('</struct></value>');
      }
      return;
    default:
      throw new TypeError(`Refusing to encode ${typeof value} for Odoo`);
  }
}

/** The body of a call to `method` with `params`. */
export function encodeMethodCall(method: string, params: readonly unknown[]): string {
  const out: string[] = [`<?xml version="1.0"?><methodCall><methodName>${escapeText(method)}</methodName><params>`];
  for (const p of params) {
    out.push('<param>');
    encodeValue(p, out);
    out.push('</param>');
  }
  out.push('</params></methodCall>');
  return out.join('');
}
