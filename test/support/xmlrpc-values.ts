/**
 * XML-RPC bodies read and written with their wire types kept (an <int> is a
 * number, a <double> a `Double`, a <dateTime.iso8601> a `DateTime`), so a test
 * can rewrite a recorded request and compare answers type by type. The test's
 * own code: it shares nothing with the connector's transport or the dev server.
 */
import { XMLParser } from 'fast-xml-parser';

export class Double {
  constructor(readonly value: number) {}
}
export class DateTime {
  constructor(readonly value: string) {}
}
export class Base64 {
  constructor(readonly value: string) {}
}

export type XmlRpcValue = number | string | boolean | null | Double | DateTime | Base64 | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export type XmlRpcAnswer = { ok: true; value: XmlRpcValue } | { ok: false; faultCode: number; faultString: string };

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, preserveOrder: true, processEntities: true });

const tagOf = (n: Node): string => Object.keys(n).find((k) => k !== ':@') ?? '';
const children = (n: Node): Node[] => {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? (v as Node[]) : [];
};
const elements = (n: Node): Node[] => children(n).filter((c) => tagOf(c) !== '#text');
const textOf = (n: Node): string => children(n).map((c) => (tagOf(c) === '#text' ? String(c['#text']) : '')).join('');
const child = (n: Node, tag: string): Node | undefined => elements(n).find((c) => tagOf(c) === tag);

function decode(v: Node): XmlRpcValue {
  const typed = elements(v)[0];
  if (!typed) return textOf(v);
  const text = textOf(typed);
  switch (tagOf(typed)) {
    case 'int':
    case 'i4':
    case 'i8':
      return Number(text.trim());
    case 'double':
      return new Double(Number(text.trim()));
    case 'boolean':
      return text.trim() === '1';
    case 'string':
      return text;
    case 'nil':
      return null;
    case 'dateTime.iso8601':
      return new DateTime(text.trim());
    case 'base64':
      return new Base64(text.trim());
    case 'array':
      return elements(child(typed, 'data') ?? {}).map(decode);
    case 'struct':
      return Object.fromEntries(elements(typed).map((m) => [textOf(child(m, 'name')!), decode(child(m, 'value')!)]));
    default:
      throw new Error(`unknown XML-RPC type <${tagOf(typed)}>`);
  }
}

function root(xml: string, tag: string): Node {
  const doc = parser.parse(xml) as Node[];
  const r = doc.find((n) => tagOf(n) === tag);
  if (!r) throw new Error(`not an XML-RPC <${tag}>`);
  return r;
}

export function parseCall(xml: string): { method: string; params: XmlRpcValue[] } {
  const call = root(xml, 'methodCall');
  const params = child(call, 'params');
  return { method: textOf(child(call, 'methodName')!).trim(), params: params ? elements(params).map((p) => decode(child(p, 'value')!)) : [] };
}

export function parseAnswer(xml: string): XmlRpcAnswer {
  const resp = root(xml, 'methodResponse');
  const fault = child(resp, 'fault');
  if (fault) {
    const s = decode(child(fault, 'value')!) as { faultCode: number; faultString: string };
    return { ok: false, faultCode: s.faultCode, faultString: s.faultString };
  }
  return { ok: true, value: decode(child(elements(child(resp, 'params')!)[0]!, 'value')!) };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function encode(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>';
  if (typeof v === 'number') return `<value><int>${v}</int></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (v instanceof Double) return `<value><double>${v.value}</double></value>`;
  if (v instanceof DateTime) return `<value><dateTime.iso8601>${v.value}</dateTime.iso8601></value>`;
  if (v instanceof Base64) return `<value><base64>${v.value}</base64></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(encode).join('')}</data></array></value>`;
  return `<value><struct>${Object.entries(v).map(([k, x]) => `<member><name>${esc(k)}</name>${encode(x)}</member>`).join('')}</struct></value>`;
}

export function dumpCall(method: string, params: XmlRpcValue[]): string {
  return `<?xml version='1.0'?>\n<methodCall>\n<methodName>${esc(method)}</methodName>\n<params>\n${params.map((p) => `<param>\n${encode(p)}\n</param>\n`).join('')}</params>\n</methodCall>\n`;
}

/** The wire type of a value, as a word for messages. */
export function wireType(v: XmlRpcValue): string {
  if (v === null) return 'nil';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v instanceof Double) return 'double';
  if (v instanceof DateTime) return 'dateTime';
  if (v instanceof Base64) return 'base64';
  return Array.isArray(v) ? 'array' : 'struct';
}
