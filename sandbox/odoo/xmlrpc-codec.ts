/**
 * XML-RPC on the wire, as Odoo speaks it: requests parsed with fast-xml-parser
 * (what Python's `loads(use_datetime=True)` accepts), responses written byte for
 * byte as Python's `xmlrpc.client.dumps(..., methodresponse=True, allow_none=False)`.
 */
import { XMLParser } from 'fast-xml-parser';

/** A Python float: always marshalled as `<double>`, even when integral (money). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Raised while marshalling: Odoo turns it into fault 1 after the change is committed. */
export class MarshalError extends Error {}

export interface XmlRpcCall {
  method: string;
  params: unknown[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  preserveOrder: true,
  processEntities: true,
  // numeric references expanded as expat does (fast-xml-parser expands them only with HTML
  // entities on; expat would refuse an HTML entity, which no client of ours writes)
  htmlEntities: true,
  jPath: false, // no path string per tag: nothing reads it
});

type Node = Record<string, unknown>;

function tagOf(n: Node): string {
  return Object.keys(n).find((k) => k !== ':@') ?? '';
}
function children(n: Node): Node[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? (v as Node[]) : [];
}
function textOf(n: Node): string {
  return children(n)
    .map((c) => (tagOf(c) === '#text' ? String(c['#text']) : ''))
    .join('');
}
function elements(n: Node): Node[] {
  return children(n).filter((c) => tagOf(c) !== '#text');
}

/** Parses one `<methodCall>`; throws on anything Python's parser would refuse. */
export function parseMethodCall(xml: string): XmlRpcCall {
  const doc = parser.parse(xml) as Node[];
  const call = doc.find((n) => tagOf(n) === 'methodCall');
  if (!call) throw new Error('not a methodCall');
  const nameNode = elements(call).find((n) => tagOf(n) === 'methodName');
  const method = nameNode ? textOf(nameNode).trim() : '';
  const paramsNode = elements(call).find((n) => tagOf(n) === 'params');
  const params = paramsNode
    ? elements(paramsNode).map((p) => {
        const v = elements(p).find((c) => tagOf(c) === 'value');
        if (!v) throw new Error('param without value');
        return decodeValue(v);
      })
    : [];
  return { method, params };
}

function decodeValue(v: Node): unknown {
  const typed = elements(v)[0];
  if (!typed) return textOf(v); // bare text is a string
  const tag = tagOf(typed);
  const text = textOf(typed);
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(text.trim());
      if (!Number.isInteger(n)) throw new Error(`bad integer ${text}`);
      return n;
    }
    case 'boolean':
      if (text.trim() === '1') return true;
      if (text.trim() === '0') return false;
      throw new Error('bad boolean value');
    case 'string':
      return text;
    case 'double':
      return new PyFloat(Number(text.trim()));
    case 'nil':
      return null;
    case 'dateTime.iso8601':
      return text.trim();
    case 'base64':
      return Buffer.from(text.trim(), 'base64');
    case 'array': {
      const data = elements(typed).find((c) => tagOf(c) === 'data');
      return data ? elements(data).filter((c) => tagOf(c) === 'value').map(decodeValue) : [];
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const m of elements(typed)) {
        if (tagOf(m) !== 'member') continue;
        const name = elements(m).find((c) => tagOf(c) === 'name');
        const value = elements(m).find((c) => tagOf(c) === 'value');
        if (!name || !value) throw new Error('bad struct member');
        out[textOf(name)] = decodeValue(value);
      }
      return out;
    }
    default:
      throw new Error(`unknown tag '${tag}'`);
  }
}

/** Python's `xml.sax.saxutils.escape` as used by xmlrpc.client: &, <, > only. */
function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Python's `repr(float)`: shortest round-trip digits, exponent outside [1e-4, 1e16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = x.toExponential().split('e') as [string, string];
    const e = Number(exp);
    const m = mant.includes('.') ? mant : mant; // Python: 1e+16, 1.5e-05
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  if (s.includes('e')) {
    // JS uses exponent below 1e-6; Python does not until 1e-4 (handled above) so expand
    return x.toFixed(20).replace(/0+$/, '');
  }
  return s.includes('.') ? s : `${s}.0`;
}

function dump(value: unknown, out: string[]): void {
  if (value === null || value === undefined) throw new MarshalError('cannot marshal None unless allow_none is enabled');
  if (value instanceof PyFloat) {
    out.push(`<value><double>${pyFloatRepr(value.value)}</double></value>\n`);
  } else if (typeof value === 'boolean') {
    out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>\n`);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      if (value > 2147483647 || value < -2147483648) throw new MarshalError('int exceeds XML-RPC limits');
      out.push(`<value><int>${value}</int></value>\n`);
    } else out.push(`<value><double>${pyFloatRepr(value)}</double></value>\n`);
  } else if (typeof value === 'string') {
    out.push(`<value><string>${escape(value)}</string></value>\n`);
  } else if (Array.isArray(value)) {
    out.push('<value><array><data>\n');
    for (const v of value) dump(v, out);
    out.push('</data></array></value>\n');
  } else if (Buffer.isBuffer(value)) {
    out.push(`<value><base64>\n${value.toString('base64')}\n</base64></value>\n`);
  } else if (typeof value === 'object') {
    out.push('<value><struct>\n');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push('<member>\n');
      out.push(`<name>${escape(k)}</name>\n`);
      dump(v, out);
      out.push('</member>\n');
    }
    out.push('</struct></value>\n');
  } else {
    throw new MarshalError(`cannot marshal ${typeof value} objects`);
  }
}

/** A successful `<methodResponse>`, as Python writes it. Throws MarshalError on None. */
export function dumpResponse(value: unknown): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"];
  dump(value, out);
  out.push('</param>\n</params>\n</methodResponse>\n');
  return out.join('');
}

/** A `<fault>` response, as Python writes it. */
export function dumpFault(code: number, message: string): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"];
  dump({ faultCode: code, faultString: message }, out);
  out.push('</fault>\n</methodResponse>\n');
  return out.join('');
}
