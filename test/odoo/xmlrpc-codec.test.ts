/**
 * The connector's XML-RPC codec (connector/odoo/xmlrpc-codec.ts) against the `xmlrpc`
 * package it replaced, kept as a devDependency for this reference only: every answer
 * of real Odoo in the transcripts (where `sharedDir` has them), seeded random values
 * written as Python writes them and in every other form an XML-RPC writer may use,
 * faults, and what is not XML-RPC at all. Calls: both writers' bodies read back by the
 * package's parser give the same method and params.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { decodeMethodResponse, encodeMethodCall, XmlRpcAnswerError, XmlRpcFault } from '../../connector/odoo/xmlrpc-codec.js';
import { dumpFault, dumpResponse, parseMethodCall, PyFloat } from '../../sandbox/odoo/xmlrpc-codec.js';
import { readTranscript } from '../support/odoo-replay.js';
import { sharedDir } from '../support/paths.js';

type Callback = (err: (Error & { faultCode?: number; faultString?: string }) | null, ...values: unknown[]) => void;
interface Deserializer {
  deserializeMethodResponse(stream: Readable, cb: Callback): void;
  deserializeMethodCall(stream: Readable, cb: Callback): void;
}
const require = createRequire(import.meta.url);
const OldDeserializer = require('xmlrpc/lib/deserializer.js') as new () => Deserializer;
const oldSerializer = require('xmlrpc/lib/serializer.js') as { serializeMethodCall(method: string, params: unknown[]): string; serializeMethodResponse(value: unknown): string };

type Outcome = { value: unknown } | { fault: { faultCode: number; faultString: string } } | { error: string };

/** What the `xmlrpc` package made of an answer. */
function oldDecode(xml: string): Promise<Outcome> {
  return new Promise((resolve) => {
    new OldDeserializer().deserializeMethodResponse(Readable.from([Buffer.from(xml, 'utf8')]), (err, value) => {
      if (!err) resolve({ value });
      else if (typeof err.faultCode === 'number') resolve({ fault: { faultCode: err.faultCode, faultString: err.faultString ?? '' } });
      else resolve({ error: err.message });
    });
  });
}

function newDecode(xml: string): Outcome {
  try {
    return { value: decodeMethodResponse(xml) };
  } catch (e) {
    if (e instanceof XmlRpcFault) return { fault: { faultCode: e.faultCode, faultString: e.faultString } };
    if (e instanceof XmlRpcAnswerError) return { error: e.message };
    throw e;
  }
}

async function expectSame(xml: string, what: string): Promise<Outcome> {
  const old = await oldDecode(xml);
  const now = newDecode(xml);
  if ('error' in old) expect(now, `${what}: the old client refused it (${old.error})`).to.have.property('error');
  else expect(now, what).to.deep.equal(old);
  return now;
}

/** mulberry32: the same values on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Awkward pieces of text: markup, entities as text, CR/LF, spaces, accents, astral and bidi characters. */
const PIECES = ['&', '<', '>', '"', "'", ']]>', ']]', '<![CDATA[', '&amp;', '&#38;', '&lt;', '\r\n', '\r', '\n', '\t', ' ', '  ', 'é', 'ß', '€', '😀', '\u00a0', '\u2028', '\u200f', 'Zoë & Söhne GmbH', 'FR76 3000 6000 0112 3456 7890 189', '1,234.56', 'a', '0'];

type Gen = () => number;
const pick = <T>(r: Gen, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randomString(r: Gen): string {
  let s = '';
  const n = Math.floor(r() * 8);
  for (let i = 0; i < n; i++) s += pick(r, PIECES);
  return s;
}

/** A value of what Odoo answers (no None, no dates: Python's marshaller as Odoo uses it). */
function randomValue(r: Gen, depth: number): unknown {
  const kind = Math.floor(r() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return randomString(r);
    case 1:
      return Math.floor((r() - 0.5) * 2 ** 32) | 0;
    case 2:
      return new PyFloat(pick(r, [Math.round((r() - 0.3) * 1e8) / 100, 0.1 + 0.2, 1e-7, 1.5e16, -0.5, 100]));
    case 3:
      return r() < 0.5;
    case 4:
      return pick(r, ['', ' ', '\n', ' leading', 'trailing ', '\r\n']);
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [randomString(r) || 'k', randomValue(r, depth + 1)]));
  }
}

/** Like a generic XML-RPC writer that is not Python: untyped strings, whitespace between tags, references, CDATA, i4/i8, nil, base64, dates. */
function writeVariant(r: Gen, v: unknown): string {
  const ws = (): string => pick(r, ['', '', '\n', ' \n  ', '\r\n', '\t']);
  const text = (s: string): string => {
    let out = '';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ch === '&') out += pick(r, ['&amp;', '&#38;', '&#x26;']);
      else if (ch === '<') out += pick(r, ['&lt;', '&#60;', '&#x3C;']);
      else if (ch === '>') out += pick(r, ['&gt;', '&#62;']);
      else if (ch === '"') out += pick(r, ['"', '&quot;', '&#34;']);
      else if (ch === "'") out += pick(r, ["'", '&apos;', '&#39;']);
      else if (ch === '\r') out += pick(r, ['\r', '&#13;', '&#xD;']);
      else if (c > 127 && r() < 0.4) out += r() < 0.5 ? `&#${c};` : `&#x${c.toString(16).toUpperCase()};`;
      else out += ch;
    }
    // a CDATA section for text without CR (an XML parser reads a CR in CDATA as LF) or its end
    if (r() < 0.2 && !/[\r]|]]>/.test(s)) return `<![CDATA[${s}]]>`;
    return out;
  };
  if (v instanceof PyFloat) return `<value>${ws()}<double>${v.value}</double>${ws()}</value>`;
  if (typeof v === 'string') {
    if (v === '') return pick(r, ['<value/>', '<value></value>', '<value><string/></value>', '<value><string></string></value>']);
    // untyped only where the text cannot be taken for whitespace around an element
    return r() < 0.3 ? `<value>${text(v)}</value>` : `<value>${ws()}<string>${text(v)}</string>${ws()}</value>`;
  }
  if (typeof v === 'number') {
    const t = pick(r, ['int', 'i4']);
    return `<value>${ws()}<${t}>${v}</${t}>${ws()}</value>`;
  }
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (Array.isArray(v)) {
    if (!v.length) return pick(r, ['<value><array><data/></array></value>', '<value><array><data></data></array></value>', `<value><array>${ws()}<data>${ws()}</data>${ws()}</array></value>`]);
    return `<value><array>${ws()}<data>${ws()}${v.map((x) => writeVariant(r, x) + ws()).join('')}</data>${ws()}</array></value>`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length) return pick(r, ['<value><struct/></value>', '<value><struct></struct></value>']);
  return `<value><struct>${ws()}${entries.map(([k, x]) => `<member>${ws()}<name>${text(k)}</name>${ws()}${writeVariant(r, x)}${ws()}</member>${ws()}`).join('')}</struct></value>`;
}

const answer = (value: string): string => `<?xml version="1.0"?>\n<methodResponse><params><param>${value}</param></params></methodResponse>\n`;

describe('Odoo XML-RPC codec against the xmlrpc package it replaced', () => {
  it('ODOO-XMLRPC-01 reads every answer of real Odoo 17 and 18 in the transcripts as the xmlrpc package did', async function () {
    const dir = join(sharedDir, 'odoo', 'transcripts');
    if (!existsSync(dir)) {
      console.log(`      (skipped: no transcripts in ${dir})`);
      this.skip();
    }
    let answers = 0;
    let faults = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz'))) {
      for (const [i, ex] of readTranscript(join(dir, file)).entries()) {
        const out = await expectSame(ex.response, `${file} #${i} ${ex.call}`);
        expect(out, `${file} #${i}`).not.to.have.property('error');
        answers++;
        if ('fault' in out) faults++;
      }
    }
    expect(answers).to.equal(292);
    expect(faults).to.equal(19);
  });

  it('ODOO-XMLRPC-02 reads 2,000 seeded random values written as Python writes them, exactly (CR, spaces, entities, unicode)', async () => {
    const r = random(15);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(r, 0);
      await expectSame(dumpResponse(v), `value ${i}: ${JSON.stringify(v)}`);
    }
  });

  it('ODOO-XMLRPC-03 reads 2,000 seeded random values in other writers\' forms: untyped, whitespace, references, CDATA, i4, empty values', async () => {
    const r = random(1503);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(r, 0);
      const xml = answer(writeVariant(r, v));
      const out = await expectSame(xml, `value ${i}: ${JSON.stringify(xml)}`);
      expect(out, xml).to.have.property('value');
    }
  });

  it('ODOO-XMLRPC-04 reads the xmlrpc package\'s own answers (CDATA for markup)', async () => {
    const r = random(7);
    for (let i = 0; i < 500; i++) {
      const v = JSON.parse(JSON.stringify(randomValue(r, 0), (_k, x: unknown) => (x instanceof PyFloat ? x.value : x))) as unknown;
      let xml: string;
      try {
        xml = oldSerializer.serializeMethodResponse(v);
      } catch {
        continue; // its writer refuses ']]>' in CDATA
      }
      await expectSame(xml, `value ${i}: ${JSON.stringify(v)}`);
    }
  });

  it('ODOO-XMLRPC-05 nil, base64, i8, dateTime, empty array and struct, nesting, entities in member names', async () => {
    const cases = [
      '<value><nil/></value>',
      '<value><base64>\nSGVsbG8sIE9kb28h\n</base64></value>',
      '<value><base64></base64></value>',
      '<value><i8>-9007199254740993</i8></value>',
      '<value><i4>-7</i4></value>',
      '<value><int> 12</int></value>',
      '<value><double>-0.0</double></value>',
      '<value><double>1e-07</double></value>',
      '<value><dateTime.iso8601>20261203T10:15:00</dateTime.iso8601></value>',
      '<value><dateTime.iso8601>2026-12-03T10:15:00Z</dateTime.iso8601></value>',
      '<value><dateTime.iso8601>2026-12-03T10:15:00+0100</dateTime.iso8601></value>',
      '<value><array><data/></array></value>',
      '<value><struct/></value>',
      '<value><struct><member><name>a &amp; b &#x3C; c &#233;</name><value><array><data><value><array><data><value><struct><member><name></name><value><nil/></value></member></struct></value></data></array></value></data></array></value></member></struct></value>',
      '<value><struct><member><name>dup</name><value>1</value></member><member><name>dup</name><value>2</value></member></struct></value>',
      '<value>  two  spaces  </value>',
      '<value>&#xD;&#10;&#x1F600;&#128512;</value>',
      '<value><string>a\r\nb\rc\n</string></value>',
    ];
    for (const c of cases) {
      const out = await expectSame(answer(c), c);
      expect(out, c).to.have.property('value');
    }
    expect(newDecode(answer('<value><i8>-9007199254740993</i8></value>'))).to.deep.equal({ value: '-9007199254740993' });
    expect(newDecode(answer('<value><string>a\r\nb\rc\n</string></value>'))).to.deep.equal({ value: 'a\r\nb\rc\n' });
    expect(newDecode(answer('<value><base64>SGk=</base64></value>'))).to.deep.equal({ value: Buffer.from('Hi') });
  });

  it('ODOO-XMLRPC-06 faults as Python writes them give faultCode and faultString exactly', async () => {
    const r = random(4);
    for (let i = 0; i < 200; i++) {
      const code = pick(r, [1, 2, 3, 4, 0, -1]);
      const text = `Traceback (most recent call last):\n  File "x.py", line ${i}\n${randomString(r)}\nodoo.exceptions.UserError: ${randomString(r)}`;
      const out = await expectSame(dumpFault(code, text), `fault ${i}`);
      expect(out).to.deep.equal({ fault: { faultCode: code, faultString: text } });
    }
  });

  it('ODOO-XMLRPC-07 what is not XML-RPC is refused as such: a login page, a proxy error, JSON, an empty body, a call', async () => {
    const notXmlRpc = [
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Odoo</title></head><body><form action="/web/login"><input name="login"><br></form></body></html>',
      '<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>',
      'Bad Gateway',
      '{"jsonrpc": "2.0", "result": 1}',
      '',
      '<?xml version="1.0"?><methodCall><methodName>x</methodName><params/></methodCall>',
      '<?xml version="1.0"?><methodResponse><params><param><value><foo>1</foo></value></param></params></methodResponse>',
    ];
    for (const body of notXmlRpc) {
      expect(await oldDecode(body), body).to.have.property('error');
      expect(() => decodeMethodResponse(body), body).to.throw(XmlRpcAnswerError).with.property('notXmlRpc', true);
    }
  });

  it('ODOO-XMLRPC-08 an answer cut short is an error, never a shorter value', async () => {
    const full = dumpResponse([1, 2, { a: 'x' }, 'end']);
    for (let cut = 1; cut < full.trimEnd().length; cut++) {
      const body = full.slice(0, cut);
      expect(await oldDecode(body), `cut at ${cut}`).to.have.property('error');
      expect(() => decodeMethodResponse(body), `cut at ${cut}`).to.throw(XmlRpcAnswerError);
    }
  });

  it('ODOO-XMLRPC-09 a bad value is refused with the old message: boolean, int, double', () => {
    expect(() => decodeMethodResponse(answer('<value><boolean>2</boolean></value>'))).to.throw("Illegal boolean value '2'");
    expect(() => decodeMethodResponse(answer('<value><int>x</int></value>'))).to.throw("Expected an integer but got 'x'");
    expect(() => decodeMethodResponse(answer('<value><double>nan</double></value>'))).to.throw("Expected a double but got 'nan'");
  });

  it('ODOO-XMLRPC-10 a member named __proto__ is an own property, not the struct\'s prototype', () => {
    const v = decodeMethodResponse(answer('<value><struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value><boolean>1</boolean></value></member></struct></value></member></struct></value>')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).to.equal(Object.prototype);
    expect(Object.keys(v)).to.deep.equal(['__proto__']);
    expect((v as { polluted?: unknown }).polluted).to.equal(undefined);
  });

  it('ODOO-XMLRPC-11 a call\'s body reads back as the xmlrpc package\'s body did: method and params exactly', async () => {
    const readCall = (xml: string): Promise<unknown> =>
      new Promise((resolve) => new OldDeserializer().deserializeMethodCall(Readable.from([Buffer.from(xml, 'utf8')]), (err, method, params) => resolve(err ? { error: err.message } : { method, params })));
    const r = random(11);
    let compared = 0;
    let garbled = 0;
    for (let i = 0; i < 1000; i++) {
      const params = JSON.parse(JSON.stringify([randomValue(r, 0), randomValue(r, 1)], (_k, x: unknown) => (x instanceof PyFloat ? x.value : x))) as unknown[];
      if (i % 10 === 0) params.push(Buffer.from(randomString(r)), null);
      let old: string;
      try {
        old = oldSerializer.serializeMethodCall('execute_kw', params);
      } catch {
        continue; // its writer refuses ']]>' in CDATA
      }
      const now = encodeMethodCall('execute_kw', params);
      expect(await readCall(now), now).to.deep.equal({ method: 'execute_kw', params });
      // the old writer garbled some strings with ']]>' (CDATA split badly); where it did not, both read the same
      if (JSON.stringify(await readCall(old)) !== JSON.stringify({ method: 'execute_kw', params })) garbled++;
      else expect(await readCall(now), now).to.deep.equal(await readCall(old));
      compared++;
    }
    expect(compared).to.be.greaterThan(900);
    expect(garbled).to.be.lessThan(compared / 2);
  });

  it('ODOO-XMLRPC-12 a call reads in Python (as Odoo reads it) and in the dev server as the params sent: CR, entities, unicode', function () {
    const r = random(13);
    const calls = Array.from({ length: 300 }, () => JSON.parse(JSON.stringify([randomValue(r, 0), randomString(r)], (_k, x: unknown) => (x instanceof PyFloat ? x.value : x))) as unknown[]);
    const bodies = calls.map((params) => encodeMethodCall('execute_kw', params));
    for (const [i, body] of bodies.entries()) {
      const dev = parseMethodCall(body);
      expect(JSON.parse(JSON.stringify(dev, (_k, x: unknown) => (x instanceof PyFloat ? x.value : x))), body).to.deep.equal({ method: 'execute_kw', params: calls[i] });
    }
    const py = spawnSync('python3', ['-c', 'import sys, json, xmlrpc.client as x\nprint(json.dumps([x.loads(b)[0] for b in json.load(sys.stdin)]))'], { input: JSON.stringify(bodies), encoding: 'utf8' });
    if (py.error || py.status !== 0) {
      console.log(`      (Python part skipped: ${py.error?.message ?? py.stderr.trim()})`);
      return;
    }
    expect(JSON.parse(py.stdout)).to.deep.equal(calls);
  });

  it('ODOO-XMLRPC-13 a call refuses what Odoo cannot take rather than send it changed: undefined, a Date, a function', () => {
    expect(() => encodeMethodCall('x', [undefined])).to.throw(TypeError);
    expect(() => encodeMethodCall('x', [{ d: new Date() }])).to.throw(TypeError);
    expect(() => encodeMethodCall('x', [() => 1])).to.throw(TypeError);
  });
});
