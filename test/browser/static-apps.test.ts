import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { staticApps, type StaticAppsOptions } from '../../server/routes/static-apps';

/** The static-apps router alone on a free port (no browser, no database). */
async function serve(options: StaticAppsOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(staticApps(options));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('static apps: the built modeler and the element templates', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'static-apps-'));
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('answers 503 saying how to build when the modeler is not built, and should NOT serve an empty folder', async () => {
    const server = await serve({ distDir: path.join(tmp, 'dist') });
    try {
      const page = await fetch(`${server.url}/modeler/`);
      expect(page.status).to.equal(503);
      expect(await page.text()).to.contain('npm run build:modeler');
      const json = await fetch(`${server.url}/modeler/assets/x.js`, { headers: { accept: 'application/json' } });
      expect(json.status).to.equal(503);
      expect((await json.json()).error.code).to.equal('APP_NOT_BUILT');
    } finally {
      await server.close();
    }
  });

  it('serves the page at /modeler/ (redirecting /modeler) and its hashed assets for a year', async () => {
    const dist = path.join(tmp, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>流程设计器</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'modeler-abc123.js'), 'export {};');
    const server = await serve({ distDir: dist });
    try {
      const bare = await fetch(`${server.url}/modeler?x=1`, { redirect: 'manual' });
      expect(bare.status).to.equal(301);
      expect(bare.headers.get('location')).to.equal('/modeler/?x=1');
      const page = await fetch(`${server.url}/modeler/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('cache-control')).to.equal('no-cache');
      expect(await page.text()).to.contain('流程设计器');
      const asset = await fetch(`${server.url}/modeler/assets/modeler-abc123.js`);
      expect(asset.headers.get('cache-control')).to.contain('immutable');
    } finally {
      await server.close();
    }
  });

  it('answers with the brotli or gzip file the build wrote, as Accept-Encoding allows, and should NOT when it does not', async () => {
    const dist = path.join(tmp, 'dist');
    const script = `export const rules = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `审查要点 ${i}`))};\n`;
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>流程设计器</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'modeler-abc123.js'), script);
    fs.writeFileSync(path.join(dist, 'assets', 'modeler-abc123.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(dist, 'assets', 'modeler-abc123.js.gz'), zlib.gzipSync(script));
    const server = await serve({ distDir: dist });
    const get = (acceptEncoding: string) =>
      fetch(`${server.url}/modeler/assets/modeler-abc123.js?v=1`, { headers: { 'accept-encoding': acceptEncoding } });
    try {
      for (const [acceptEncoding, coding] of [
        ['gzip, deflate, br, zstd', 'br'],
        ['br', 'br'],
        ['gzip', 'gzip'],
        ['br;q=0, gzip;q=0.5', 'gzip'],
        ['*', 'br'],
        ['identity', null],
        ['deflate, br;q=0', null],
      ] as const) {
        const asset = await get(acceptEncoding);
        expect(asset.status, acceptEncoding).to.equal(200);
        expect(asset.headers.get('content-encoding'), acceptEncoding).to.equal(coding);
        expect(asset.headers.get('content-type'), acceptEncoding).to.match(/javascript; charset=utf-8/);
        expect(asset.headers.get('vary'), acceptEncoding).to.match(/accept-encoding/i);
        expect(asset.headers.get('cache-control'), acceptEncoding).to.contain('immutable');
        expect(await asset.text(), acceptEncoding).to.equal(script);
      }
      // A file the build did not compress (the page, under 1 KiB) is served as it is.
      const page = await fetch(`${server.url}/modeler/`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(page.headers.get('content-encoding')).to.equal(null);
      expect(await page.text()).to.contain('流程设计器');
      const outside = await fetch(`${server.url}/modeler/..%2f..%2fpackage.json`, { headers: { 'accept-encoding': 'br' } });
      expect(outside.headers.get('content-encoding')).to.equal(null);
    } finally {
      await server.close();
    }
  });

  it('serves every element template, all in one file and one file per job type', async () => {
    const server = await serve({ distDir: path.join(tmp, 'dist') });
    try {
      const all = (await (await fetch(`${server.url}/element-templates.json`)).json()) as { id: string; name: string }[];
      expect(all.map((t) => t.id)).to.include.members([
        'approvals.prefill',
        'approvals.ocr',
        'approvals.review',
        'approvals.esign',
        'approvals.license-publish',
        'approvals.archive',
        'approvals.notify',
      ]);
      const ocr = await (await fetch(`${server.url}/element-templates/ocr.json`)).json();
      expect(ocr.name).to.equal('OCR 识别');
    } finally {
      await server.close();
    }
  });
});
